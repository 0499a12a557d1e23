package dev.braid.fusion.data;

import java.util.Objects;

/**
 * One row drawn for an epoch, with the dataset it came from.
 *
 * @param datasetIndex the index of the row's dataset in the source (0 for a single split)
 * @param entry the row
 */
public record Sample(int datasetIndex, ManifestEntry entry) {

    /** Checks the index is not negative. */
    public Sample {
        if (datasetIndex < 0) {
            throw new IllegalArgumentException(
                    "datasetIndex (" + datasetIndex + ") must not be negative");
        }
        Objects.requireNonNull(entry, "entry");
    }
}
