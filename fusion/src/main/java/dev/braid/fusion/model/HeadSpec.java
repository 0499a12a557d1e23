package dev.braid.fusion.model;

import dev.braid.fusion.data.HeadKind;
import java.util.List;

/**
 * One task head: what it is called, what it predicts, and its class names.
 *
 * @param name the head's name, the label's key in a multi-task manifest ({@code "label"} for a
 *     plain label)
 * @param kind classification, multi-label or regression
 * @param classes the class names in output order; empty for regression
 */
public record HeadSpec(String name, HeadKind kind, List<String> classes) {

    public HeadSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("head name must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("head '" + name + "': kind must be set");
        }
        classes = List.copyOf(classes);
        if (kind == HeadKind.REGRESSION ? !classes.isEmpty() : classes.size() < 2) {
            throw new IllegalArgumentException(
                    "head '"
                            + name
                            + "' ("
                            + kind
                            + ") has "
                            + classes.size()
                            + " classes; classification needs at least 2, regression none");
        }
    }

    /** The number of outputs: the class count, or 1 for regression. */
    public int outputs() {
        return kind == HeadKind.REGRESSION ? 1 : classes.size();
    }
}
