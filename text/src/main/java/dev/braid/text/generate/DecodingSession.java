package dev.braid.text.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.text.decoder.DecoderCache;
import dev.braid.text.decoder.TransformerDecoder;

/**
 * The decoder side of one generation: a cache over the rows being decoded, and one step at a time
 * in a manager of its own that is closed when the step ends, so only the cache and Java arrays
 * outlive a step. Rows are left-padded, so every row's latest position is the last column.
 */
final class DecodingSession implements AutoCloseable {

    private final TransformerDecoder decoder;
    private final NDManager manager;
    private final ParameterStore store;
    private final DecoderCache cache;
    private final int rows;
    private final int vocabulary;

    /**
     * @param memory {@code [B, S, D]}, or null for none; repeated {@code copies} times per row
     *     (beam search decodes each sequence's beams as consecutive rows)
     * @param memoryIds {@code [B, S]}, the token ids a copying decoder may copy, or null
     */
    DecodingSession(
            TransformerDecoder decoder,
            NDManager parent,
            int batch,
            int copies,
            NDArray memory,
            NDArray memoryMask,
            NDArray memoryIds) {
        this.decoder = decoder;
        this.manager = parent.newSubManager();
        this.store = new ParameterStore(manager, false);
        this.rows = batch * copies;
        this.vocabulary = decoder.config().vocabularySize();
        if (memory == null) {
            cache = decoder.newCache(manager, rows);
        } else {
            try (NDManager setup = manager.newSubManager()) {
                setup.tempAttachAll(memory, memoryMask); // the copies are made in setup
                NDArray m = copies == 1 ? memory : memory.repeat(0, copies); // (B * copies, S, D)
                NDArray mask = copies == 1 ? memoryMask : memoryMask.repeat(0, copies);
                NDArray ids = null;
                if (memoryIds != null) {
                    setup.tempAttachAll(memoryIds);
                    ids = copies == 1 ? memoryIds : memoryIds.repeat(0, copies);
                }
                cache = decoder.newCache(store, manager, m, mask, ids);
            }
        }
    }

    DecoderCache cache() {
        return cache;
    }

    /** Returns how many more positions the decoder accepts. */
    int room() {
        return decoder.config().maxLength() - cache.length();
    }

    /**
     * Feeds one column per call (or the prompts, first) and returns each row's logits at the last
     * position.
     *
     * @param ids {@code [rows][T]}
     * @param real {@code [rows][T]}, false at padding
     * @return {@code [rows][V]}
     */
    float[][] step(int[][] ids, boolean[][] real) {
        int length = ids[0].length;
        long[] flatIds = new long[rows * length];
        boolean[] flatMask = new boolean[rows * length];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                flatIds[r * length + t] = ids[r][t];
                flatMask[r * length + t] = real[r][t];
            }
        }
        try (NDManager step = manager.newSubManager()) {
            Shape shape = new Shape(rows, length);
            NDArray logits =
                    decoder.step(
                            store,
                            cache,
                            step.create(flatIds, shape),
                            step.create(flatMask, shape)); // (rows, T, V)
            float[] last = logits.get(new NDIndex(":, -1, :")).toFloatArray(); // (rows, V)
            float[][] out = new float[rows][];
            for (int r = 0; r < rows; r++) {
                out[r] = java.util.Arrays.copyOfRange(last, r * vocabulary, (r + 1) * vocabulary);
            }
            return out;
        }
    }

    /** One new token a row; rows not live are fed padding that no later position sees. */
    float[][] next(int[] tokens, boolean[] live) {
        int[][] ids = new int[rows][1];
        boolean[][] real = new boolean[rows][1];
        for (int r = 0; r < rows; r++) {
            ids[r][0] = live[r] ? tokens[r] : 0;
            real[r][0] = live[r];
        }
        return step(ids, real);
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
