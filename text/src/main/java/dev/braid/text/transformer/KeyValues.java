package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values one attention block computed from its source, split into heads: what a
 * decoder caches so that a new token's step costs one position's projections, not the whole
 * prefix's.
 *
 * @param keys {@code [B, H, Tk, Dh]}, already rotated by position when the attention uses RoPE
 * @param values {@code [B, H, Tk, Dh]}
 */
public record KeyValues(NDArray keys, NDArray values) {

    /** Returns the number of key positions Tk. */
    public int length() {
        return Math.toIntExact(keys.getShape().get(2));
    }

    /** These positions followed by {@code next}'s, along the key axis. */
    public KeyValues append(KeyValues next) {
        return new KeyValues(keys.concat(next.keys, 2), values.concat(next.values, 2));
    }

    /**
     * The batch rows {@code rows} in that order (a row may repeat): how beam search follows the
     * beams it keeps.
     */
    public KeyValues rows(int[] rows) {
        return new KeyValues(pick(keys, rows), pick(values, rows));
    }

    private static NDArray pick(NDArray x, int[] rows) {
        NDList picked = new NDList(rows.length);
        for (int row : rows) {
            picked.add(x.get(row)); // (H, Tk, Dh)
        }
        NDArray stacked = NDArrays.stack(picked); // (B', H, Tk, Dh)
        picked.close(); // the row views, not needed once copied
        return stacked;
    }

    /** Moves both arrays to {@code manager}, which then closes them. */
    public void attach(NDManager manager) {
        keys.attach(manager);
        values.attach(manager);
    }

    /** Frees both arrays now. */
    public void close() {
        keys.close();
        values.close();
    }
}
