package dev.braid.apps.support;

import java.time.Duration;

/**
 * How the server coalesces concurrent tickets into batched forward passes.
 *
 * @param maxBatch the most tickets one forward pass predicts; 1 predicts each ticket alone
 * @param maxWait how long a batch that is not full waits for tickets still being decoded; a batch
 *     never waits when no other ticket is on its way, so a lone ticket is not delayed
 * @param decoders tickets decoded (photo, voice note, text) at once, each on its request's thread
 * @param workers forward passes run at once; while one runs, the next batch gathers
 */
public record BatchSettings(int maxBatch, Duration maxWait, int decoders, int workers) {

    /** The largest batch accepted: beyond it a batch only adds latency. */
    public static final int MAX_BATCH_LIMIT = 256;

    public BatchSettings {
        if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
            throw new IllegalArgumentException(
                    "maxBatch (" + maxBatch + ") must be in 1.." + MAX_BATCH_LIMIT);
        }
        if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException(
                    "maxWait (" + maxWait.toMillis() + " ms) must be in 0..1000 ms");
        }
        if (decoders < 1) {
            throw new IllegalArgumentException("decoders (" + decoders + ") must be positive");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers (" + workers + ") must be positive");
        }
    }

    /** Batches of up to 16 waiting at most 5 ms; as many decoders and workers as cores. */
    public static BatchSettings defaults() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new BatchSettings(16, Duration.ofMillis(5), cores, cores);
    }

    /** Each ticket predicted alone, as soon as it is decoded. */
    public static BatchSettings unbatched() {
        BatchSettings d = defaults();
        return new BatchSettings(1, Duration.ZERO, d.decoders(), d.workers());
    }

    public BatchSettings withMaxBatch(int n) {
        return new BatchSettings(n, maxWait, decoders, workers);
    }

    public BatchSettings withMaxWait(Duration wait) {
        return new BatchSettings(maxBatch, wait, decoders, workers);
    }
}
