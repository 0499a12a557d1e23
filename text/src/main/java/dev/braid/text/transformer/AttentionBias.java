package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.tensor.Scalars;

/**
 * Additive attention biases, added to the scores before the softmax: 0 where attention is allowed,
 * {@link #BLOCKED} where it is not. Biases broadcast against scores {@code [B, H, Tq, Tk]}, so they
 * can simply be added together.
 *
 * <p>A large finite value rather than -infinity: a query whose every key is blocked (a modality
 * absent from a sample) then gets uniform weights instead of the NaN of a softmax over nothing.
 */
public final class AttentionBias {

    /** The bias of a blocked position. */
    public static final float BLOCKED = -1e9f;

    private AttentionBias() {}

    /**
     * Blocks padded keys.
     *
     * @param mask boolean {@code [B, Tk]}, true at real positions
     * @return float {@code [B, 1, 1, Tk]}
     */
    public static NDArray keyPadding(NDArray mask) {
        NDArray real = mask.toType(DataType.FLOAT32, false);
        return Scalars.mul(real.sub(1f), -BLOCKED).expandDims(1).expandDims(1); // (B, 1, 1, Tk)
    }

    /**
     * Lets position i attend to positions j &le; i only.
     *
     * @return float {@code [1, 1, T, T]}
     */
    public static NDArray causal(NDManager manager, int length) {
        return prefix(manager, length, 0);
    }

    /**
     * A prefix-LM mask: the first {@code prefixLength} positions attend to each other freely, every
     * later position attends to the whole prefix and causally to the rest.
     *
     * @return float {@code [1, 1, T, T]}
     */
    public static NDArray prefix(NDManager manager, int length, int prefixLength) {
        return prefix(manager, length, length, prefixLength);
    }

    /**
     * Lets the last {@code queryLength} of {@code keyLength} positions attend causally: query i
     * stands at position {@code keyLength - queryLength + i}, the positions before it cached by a
     * decoder. Keys before {@code prefixLength} are visible to every query (0 for plain causal).
     *
     * @return float {@code [1, 1, Tq, Tk]}
     * @throws IllegalArgumentException if there are more queries than keys
     */
    public static NDArray prefix(
            NDManager manager, int queryLength, int keyLength, int prefixLength) {
        int offset = queryOffset(queryLength, keyLength);
        float[] bias = new float[queryLength * keyLength];
        for (int i = 0; i < queryLength; i++) {
            for (int j = 0; j < keyLength; j++) {
                boolean allowed = j <= offset + i || j < prefixLength;
                bias[i * keyLength + j] = allowed ? 0f : BLOCKED;
            }
        }
        return manager.create(bias, new Shape(1, 1, queryLength, keyLength));
    }

    private static int queryOffset(int queryLength, int keyLength) {
        if (queryLength > keyLength) {
            throw new IllegalArgumentException(
                    "queryLength ("
                            + queryLength
                            + ") must not exceed keyLength ("
                            + keyLength
                            + ")");
        }
        return keyLength - queryLength;
    }

    /**
     * ALiBi (Press et al., "Train Short, Test Long"): head h penalises attention to a key at
     * distance |i - j| by {@code slope_h * |i - j|}, slopes {@code 2^(-8h/H)} for h = 1..H.
     *
     * @return float {@code [1, H, T, T]}
     */
    public static NDArray alibi(NDManager manager, int heads, int length) {
        return alibi(manager, heads, length, length);
    }

    /**
     * ALiBi for the last {@code queryLength} of {@code keyLength} positions, as {@link
     * #prefix(NDManager, int, int, int)} places them.
     *
     * @return float {@code [1, H, Tq, Tk]}
     */
    public static NDArray alibi(NDManager manager, int heads, int queryLength, int keyLength) {
        int offset = queryOffset(queryLength, keyLength);
        float[] bias = new float[heads * queryLength * keyLength];
        for (int h = 0; h < heads; h++) {
            double slope = Math.pow(2, -8.0 * (h + 1) / heads);
            for (int i = 0; i < queryLength; i++) {
                for (int j = 0; j < keyLength; j++) {
                    bias[(h * queryLength + i) * keyLength + j] =
                            (float) (-slope * Math.abs(offset + i - j));
                }
            }
        }
        return manager.create(bias, new Shape(1, heads, queryLength, keyLength));
    }
}
