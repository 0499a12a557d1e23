package dev.braid.fusion.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The label of one manifest row, as written in its {@code "label"} field: a string (one class), a
 * list of strings (multi-label), a number (regression), or an object of named labels (multi-task).
 *
 * <p>A plain label belongs to the head named {@link #DEFAULT_HEAD}; the values of {@link
 * NamedLabels} are plain labels belonging to the head of their name.
 */
public sealed interface Label {

    /** The head a plain (non-object) label belongs to. */
    String DEFAULT_HEAD = "label";

    /**
     * The built-in kind of head this label trains unless the run declares the head's kind (then a
     * {@link HeadKindPlugin} reads it); {@link NamedLabels} has none.
     */
    HeadKind kind();

    /** One class out of several, e.g. {@code "label": "cat"}. */
    record ClassLabel(String name) implements Label {
        /** Checks the name is not blank. */
        public ClassLabel {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("class name ('" + name + "') must not be blank");
            }
        }

        @Override
        public HeadKind kind() {
            return HeadKind.CLASSIFICATION;
        }
    }

    /** Any number of classes at once, e.g. {@code "label": ["red", "round"]}; may be empty. */
    record MultiLabel(List<String> names) implements Label {
        /** Copies the names and checks none is blank. */
        public MultiLabel {
            names = List.copyOf(names);
            for (String n : names) {
                if (n.isBlank()) {
                    throw new IllegalArgumentException(
                            "class names " + names + " must not contain a blank name");
                }
            }
        }

        @Override
        public HeadKind kind() {
            return HeadKind.MULTI_LABEL;
        }
    }

    /** A real number to regress, e.g. {@code "label": 3.5}. */
    record NumericLabel(double value) implements Label {
        /** Checks the value is finite. */
        public NumericLabel {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("value (" + value + ") must be finite");
            }
        }

        @Override
        public HeadKind kind() {
            return HeadKind.REGRESSION;
        }
    }

    /**
     * Several tasks at once, e.g. {@code "label": {"topic": "sport", "score": 0.7}}: head name to
     * plain label.
     */
    record NamedLabels(Map<String, Label> labels) implements Label {
        /** Copies the map and checks every value is a plain label and every name non-blank. */
        public NamedLabels {
            labels = Map.copyOf(labels);
            for (Map.Entry<String, Label> e : labels.entrySet()) {
                if (e.getKey().isBlank()) {
                    throw new IllegalArgumentException("head names must not be blank");
                }
                if (e.getValue() instanceof NamedLabels) {
                    throw new IllegalArgumentException(
                            "head '" + e.getKey() + "' holds named labels; nesting is not allowed");
                }
            }
        }

        /** Throws: named labels are split into their heads before a head sees them. */
        @Override
        public HeadKind kind() {
            throw new UnsupportedOperationException("named labels hold several heads");
        }
    }
}
