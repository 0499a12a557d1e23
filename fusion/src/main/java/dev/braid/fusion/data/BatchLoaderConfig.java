package dev.braid.fusion.data;

/**
 * How a {@link BatchLoader} batches and prefetches.
 *
 * @param batchSize samples per batch, positive; the last batch of an epoch may be smaller
 * @param workers threads preparing batches, positive
 * @param prefetch batches prepared ahead of the consumer (the bound of the queue), positive
 * @param seed the run's seed: the epoch order and each sample's augmentation derive from it
 */
public record BatchLoaderConfig(int batchSize, int workers, int prefetch, long seed) {

    /** Checks every count; messages name the field and the value found. */
    public BatchLoaderConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize (" + batchSize + ") must be positive");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers (" + workers + ") must be positive");
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch (" + prefetch + ") must be positive");
        }
    }

    /** {@code batchSize} samples a batch, 2 workers, 4 batches ahead. */
    public static BatchLoaderConfig of(int batchSize, long seed) {
        return new BatchLoaderConfig(batchSize, 2, 4, seed);
    }
}
