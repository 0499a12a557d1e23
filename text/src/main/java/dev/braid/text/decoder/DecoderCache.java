package dev.braid.text.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.braid.text.transformer.KeyValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link TransformerDecoder} keeps between the steps of incremental decoding, for one batch
 * of sequences: every layer's self-attention keys and values of the positions so far, the memory's
 * keys and values (computed once, in {@link TransformerDecoder#newCache}), the key padding mask so
 * far and each row's count of real tokens (its next position).
 *
 * <p>Its arrays live in a manager of its own, a child of the one it was made with; a step's arrays
 * live in the caller's per-step manager, and only what the next step needs is moved here. Close the
 * cache when the sequences are done.
 */
public final class DecoderCache implements AutoCloseable {

    private final NDManager manager;
    private final int batch;
    private List<KeyValues> self;
    private List<KeyValues> memory;
    private NDArray memoryBias;
    private MemoryCopy.Source copySource;
    private NDArray keyMask;
    private NDArray realCount;
    private int length;

    DecoderCache(
            NDManager parent,
            int batch,
            int layers,
            List<KeyValues> memory,
            NDArray memoryBias,
            MemoryCopy.Source copySource) {
        this.manager = parent.newSubManager();
        this.batch = batch;
        this.self = new ArrayList<>(Collections.nCopies(layers, null));
        this.memory = memory;
        this.memoryBias = memoryBias;
        this.copySource = copySource;
        if (memory != null) {
            memory.forEach(kv -> kv.attach(manager));
            memoryBias.attach(manager);
        }
        if (copySource != null) {
            copySource.attach(manager);
        }
    }

    /** Returns the number of sequences B. */
    public int batch() {
        return batch;
    }

    /** Returns the number of positions cached so far, padding included. */
    public int length() {
        return length;
    }

    /** Returns whether the cache holds a memory for cross-attention. */
    public boolean hasMemory() {
        return memory != null;
    }

    /**
     * Keeps only the rows {@code rows}, in that order (a row may repeat): how beam search follows
     * the beams it keeps. The batch size stays the same.
     *
     * @throws IllegalArgumentException if {@code rows} does not have one entry per sequence
     */
    public void reorder(int[] rows) {
        if (rows.length != batch) {
            throw new IllegalArgumentException(
                    "reorder needs " + batch + " rows, found " + rows.length);
        }
        List<KeyValues> picked = new ArrayList<>(self.size());
        for (KeyValues kv : self) {
            picked.add(kv == null ? null : kv.rows(rows));
        }
        replaceSelf(picked);
        if (keyMask != null) {
            keyMask = replace(keyMask, pickRows(keyMask, rows));
            realCount = replace(realCount, pickRows(realCount, rows));
        }
        if (memory != null) {
            List<KeyValues> pickedMemory = new ArrayList<>(memory.size());
            for (KeyValues kv : memory) {
                KeyValues p = kv.rows(rows);
                p.attach(manager);
                kv.close();
                pickedMemory.add(p);
            }
            memory = pickedMemory;
            memoryBias = replace(memoryBias, pickRows(memoryBias, rows));
        }
        if (copySource != null) {
            copySource =
                    new MemoryCopy.Source(
                            replace(copySource.keys(), pickRows(copySource.keys(), rows)),
                            replace(copySource.table(), pickRows(copySource.table(), rows)),
                            replace(copySource.bias(), pickRows(copySource.bias(), rows)));
        }
    }

    private static NDArray pickRows(NDArray x, int[] rows) {
        NDList picked = new NDList(rows.length);
        for (int row : rows) {
            picked.add(x.get(row));
        }
        NDArray stacked = NDArrays.stack(picked);
        picked.close();
        return stacked;
    }

    KeyValues self(int layer) {
        return self.get(layer);
    }

    KeyValues memory(int layer) {
        return memory == null ? null : memory.get(layer);
    }

    NDArray memoryBias() {
        return memoryBias;
    }

    /** What the memory offers to copy, or null. */
    MemoryCopy.Source copySource() {
        return copySource;
    }

    /** The key mask so far {@code [B, Tpast]} boolean, or null before the first step. */
    NDArray keyMask() {
        return keyMask;
    }

    /** Each row's real tokens so far {@code [B, 1]} int64, or null before the first step. */
    NDArray realCount() {
        return realCount;
    }

    /** Takes the state after a step of {@code steps} positions, freeing what it replaces. */
    void advance(List<KeyValues> newSelf, NDArray newKeyMask, NDArray newRealCount, int steps) {
        replaceSelf(newSelf);
        keyMask = replace(keyMask, newKeyMask);
        realCount = replace(realCount, newRealCount);
        length += steps;
    }

    private void replaceSelf(List<KeyValues> next) {
        for (int i = 0; i < next.size(); i++) {
            KeyValues old = self.get(i);
            KeyValues kv = next.get(i);
            if (kv != null) {
                kv.attach(manager);
            }
            if (old != null && old != kv) {
                old.close();
            }
        }
        self = new ArrayList<>(next);
    }

    private NDArray replace(NDArray old, NDArray next) {
        next.attach(manager);
        if (old != null && old != next) {
            old.close();
        }
        return next;
    }

    /** Frees every cached array. */
    @Override
    public void close() {
        manager.close();
    }
}
