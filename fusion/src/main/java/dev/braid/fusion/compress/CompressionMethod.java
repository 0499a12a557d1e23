package dev.braid.fusion.compress;

import java.util.Arrays;
import java.util.Locale;

/** A compression method, by the name the command line and the provenance give it. */
public enum CompressionMethod {
    /** Weights stored as int8 ({@link Int8Weights}). */
    INT8,
    /** Unstructured magnitude pruning ({@link MagnitudePruning}). */
    PRUNE,
    /** Channels and feed-forward units removed ({@link StructuredPruning}). */
    STRUCTURED_PRUNE,
    /** A student trained on the model's soft targets ({@link TeacherTargets}). */
    DISTILL;

    /** The name: {@code int8}, {@code prune}, {@code structured-prune}, {@code distill}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The method called {@code name}.
     *
     * @throws IllegalArgumentException naming the known methods if there is none
     */
    public static CompressionMethod of(String name) {
        for (CompressionMethod m : values()) {
            if (m.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown compression method '"
                        + name
                        + "'; known: "
                        + String.join(
                                ", ",
                                Arrays.stream(values()).map(CompressionMethod::label).toList()));
    }
}
