package dev.braid.text.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.braid.tensor.Scalars;

/**
 * The teacher-forced loss of a decoder: cross-entropy over the target tokens with label smoothing,
 * padding ignored.
 */
public final class DecoderLoss {

    private DecoderLoss() {}

    /**
     * The mean over real target positions of {@code -(1 - e) log p(target) - e mean_v log p(v)}:
     * with smoothing e, the target distribution puts {@code 1 - e} on the target and spreads e
     * evenly over the whole vocabulary (Szegedy et al.; the Transformer paper used e = 0.1).
     *
     * @param logits {@code [B, T, V]}
     * @param targets int64 {@code [B, T]}
     * @param mask boolean {@code [B, T]}, true at positions to score
     * @param labelSmoothing e in [0, 1)
     * @return a scalar; 0 when no position is scored
     * @throws IllegalArgumentException if labelSmoothing is out of range
     */
    public static NDArray crossEntropy(
            NDArray logits, NDArray targets, NDArray mask, float labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException(
                    "labelSmoothing (" + labelSmoothing + ") must be in [0, 1)");
        }
        NDArray weights = mask.toType(DataType.FLOAT32, false); // (B, T)
        NDArray logProbabilities = logits.logSoftmax(2); // (B, T, V)
        NDArray picked =
                logProbabilities
                        .gather(targets.toType(DataType.INT64, false).expandDims(2), 2)
                        .squeeze(2); // (B, T)
        NDArray perPosition = picked.neg();
        if (labelSmoothing > 0) {
            NDArray uniform = logProbabilities.mean(new int[] {2}).neg(); // (B, T)
            perPosition =
                    Scalars.mul(perPosition, 1 - labelSmoothing)
                            .add(Scalars.mul(uniform, labelSmoothing));
        }
        return perPosition.mul(weights).sum().div(Scalars.maximum(weights.sum(), 1));
    }
}
