package dev.braid.vision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.braid.tensor.Scalars;

/** Turns an encoder's {@code (tokens, mask)} into one vector per sample. */
public final class TokenPooling {

    private TokenPooling() {}

    /**
     * The mean of the real tokens of each sample; a sample with no real token gives zeros.
     *
     * @param tokens float {@code (B, L, D)}
     * @param mask boolean {@code (B, L)}, true = real
     * @return float {@code (B, D)}
     */
    public static NDArray maskedMean(NDArray tokens, NDArray mask) {
        NDArray weights = mask.toType(tokens.getDataType(), false).expandDims(2); // (B, L, 1)
        NDArray sum = tokens.mul(weights).sum(new int[] {1}); // (B, D)
        NDArray count = Scalars.maximum(weights.sum(new int[] {1}), 1f); // (B, 1)
        return sum.div(count);
    }

    /** {@link #maskedMean(NDArray, NDArray)} of an encoder output {@code NDList(tokens, mask)}. */
    public static NDArray maskedMean(NDList encoderOutput) {
        return maskedMean(encoderOutput.get(0), encoderOutput.get(1));
    }
}
