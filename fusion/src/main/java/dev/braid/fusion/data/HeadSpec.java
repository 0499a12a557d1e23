package dev.braid.fusion.data;

import java.util.Collections;
import java.util.List;

/**
 * One task head, the one description of it that the task schema, the model and the predictor share:
 * what it is called, what it predicts, and its class names.
 *
 * @param name the head's name, the label's key in a multi-task manifest ({@code "label"} for a
 *     plain label)
 * @param kind classification, multi-label, regression, or a plug-in's kind ({@link HeadKindPlugin})
 * @param classes the distinct class names in output order: for the built-in kinds sorted, at least
 *     2 for classification, at least 1 for multi-label, none for regression and generation; for a
 *     plug-in kind what its {@link HeadKindPlugin#classes} gave
 */
public record HeadSpec(String name, HeadKind kind, List<String> classes) {

    /** Whether this head writes text ({@link HeadKind#GENERATION}). */
    public boolean generates() {
        return kind.equals(HeadKind.GENERATION);
    }

    /** Checks the name, and that the classes fit the kind and are sorted and distinct. */
    public HeadSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("head name must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("head '" + name + "': kind must be set");
        }
        classes = List.copyOf(classes);
        if (kind.builtIn()) {
            checkBuiltIn(name, kind, classes);
        } else if (classes.stream().distinct().count() != classes.size()) {
            throw new IllegalArgumentException(
                    "head '" + name + "': classes " + classes + " must be distinct");
        }
    }

    private static void checkBuiltIn(String name, HeadKind kind, List<String> classes) {
        int least =
                kind.equals(HeadKind.CLASSIFICATION)
                        ? 2
                        : kind.equals(HeadKind.MULTI_LABEL) ? 1 : 0;
        boolean none = kind.equals(HeadKind.REGRESSION) || kind.equals(HeadKind.GENERATION);
        if (none ? !classes.isEmpty() : classes.size() < least) {
            throw new IllegalArgumentException(
                    "head '"
                            + name
                            + "' ("
                            + kind
                            + ") has "
                            + classes.size()
                            + " classes; classification needs at least 2, multi-label 1,"
                            + " regression and generation none");
        }
        for (int i = 1; i < classes.size(); i++) {
            if (classes.get(i - 1).compareTo(classes.get(i)) >= 0) {
                throw new IllegalArgumentException(
                        "head '" + name + "': classes " + classes + " must be sorted and distinct");
            }
        }
    }

    /**
     * The number of outputs: the class count, 1 for regression, or what the kind's plug-in says.
     *
     * @throws IllegalStateException for a generation head, whose outputs are a vocabulary's logits
     *     at every position of the text
     */
    public int outputs() {
        if (kind.equals(HeadKind.GENERATION)) {
            throw new IllegalStateException(
                    "head '" + name + "' generates text: it has no fixed number of outputs");
        }
        if (!kind.builtIn()) {
            return HeadKindPlugins.of(kind).outputs(classes);
        }
        return kind.equals(HeadKind.REGRESSION) ? 1 : classes.size();
    }

    /** The index of class {@code className}, or -1 if it is not one of the classes. */
    public int indexOf(String className) {
        if (!kind.builtIn()) {
            return classes.indexOf(className);
        }
        int i = Collections.binarySearch(classes, className);
        return i >= 0 ? i : -1;
    }
}
