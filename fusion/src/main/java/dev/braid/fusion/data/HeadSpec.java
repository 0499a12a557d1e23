package dev.braid.fusion.data;

import java.util.Collections;
import java.util.List;

/**
 * One task head, the one description of it that the task schema, the model and the predictor share:
 * what it is called, what it predicts, and its class names.
 *
 * @param name the head's name, the label's key in a multi-task manifest ({@code "label"} for a
 *     plain label)
 * @param kind classification, multi-label or regression
 * @param classes the sorted, distinct class names in output order: at least 2 for classification,
 *     at least 1 for multi-label, none for regression
 */
public record HeadSpec(String name, HeadKind kind, List<String> classes) {

    /** Checks the name, and that the classes fit the kind and are sorted and distinct. */
    public HeadSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("head name must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("head '" + name + "': kind must be set");
        }
        classes = List.copyOf(classes);
        int least =
                switch (kind) {
                    case CLASSIFICATION -> 2;
                    case MULTI_LABEL -> 1;
                    case REGRESSION -> 0;
                };
        if (kind == HeadKind.REGRESSION ? !classes.isEmpty() : classes.size() < least) {
            throw new IllegalArgumentException(
                    "head '"
                            + name
                            + "' ("
                            + kind
                            + ") has "
                            + classes.size()
                            + " classes; classification needs at least 2, multi-label 1,"
                            + " regression none");
        }
        for (int i = 1; i < classes.size(); i++) {
            if (classes.get(i - 1).compareTo(classes.get(i)) >= 0) {
                throw new IllegalArgumentException(
                        "head '" + name + "': classes " + classes + " must be sorted and distinct");
            }
        }
    }

    /** The number of outputs: the class count, or 1 for regression. */
    public int outputs() {
        return kind == HeadKind.REGRESSION ? 1 : classes.size();
    }

    /** The index of class {@code className}, or -1 if it is not one of the classes. */
    public int indexOf(String className) {
        int i = Collections.binarySearch(classes, className);
        return i >= 0 ? i : -1;
    }
}
