package dev.braid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The mean of each sample's real positions: an encoder's {@code (tokens [B, T, D], mask [B, T])}
 * becomes one vector per sample {@code [B, D]}. A sample with no real position gives zeros, not
 * NaN.
 */
public final class MaskedMean {

    private MaskedMean() {}

    /**
     * @param tokens float {@code [B, T, D]}
     * @param mask boolean {@code [B, T]}, true at a real position
     * @return float {@code [B, D]}
     */
    public static NDArray of(NDArray tokens, NDArray mask) {
        NDArray weights = mask.toType(tokens.getDataType(), false).expandDims(2); // (B, T, 1)
        NDArray sum = tokens.mul(weights).sum(new int[] {1}); // (B, D)
        NDArray count = Scalars.maximum(weights.sum(new int[] {1}), 1f); // (B, 1)
        return sum.div(count);
    }

    /** {@link #of(NDArray, NDArray)} of an encoder's output {@code NDList(tokens, mask)}. */
    public static NDArray of(NDList encoderOutput) {
        return of(encoderOutput.get(0), encoderOutput.get(1));
    }
}
