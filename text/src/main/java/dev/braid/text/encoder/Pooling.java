package dev.braid.text.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.braid.tensor.Scalars;

/** Turns a sequence of tokens {@code [B, T, D]} into one vector per sample {@code [B, D]}. */
public final class Pooling {

    private Pooling() {}

    /** The output at position 0, the {@code [CLS]} token. */
    public static NDArray cls(NDArray tokens) {
        return tokens.get(new NDIndex(":, 0, :"));
    }

    /**
     * The mean over real positions. A row with no real position gives zeros, not NaN.
     *
     * @param tokens {@code [B, T, D]}
     * @param mask boolean {@code [B, T]}
     */
    public static NDArray maskedMean(NDArray tokens, NDArray mask) {
        NDArray weights = mask.toType(DataType.FLOAT32, false).expandDims(2); // (B, T, 1)
        NDArray count = Scalars.maximum(weights.sum(new int[] {1}), 1f); // (B, 1)
        return tokens.mul(weights).sum(new int[] {1}).div(count);
    }
}
