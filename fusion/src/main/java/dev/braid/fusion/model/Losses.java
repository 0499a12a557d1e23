package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.braid.tensor.Scalars;

/**
 * The losses of Braid's heads. Each takes a {@code present} mask {@code [B]} and averages over the
 * samples that have the label, so a head only learns from samples labelled for it; with no such
 * sample in the batch the loss is 0.
 */
public final class Losses {

    private Losses() {}

    /**
     * Cross-entropy with optional label smoothing and class weights.
     *
     * @param logits {@code [B, C]}
     * @param labels int64 {@code [B]} class indices (any value where absent)
     * @param present boolean {@code [B]}
     * @param smoothing label smoothing in [0, 1): the target puts {@code 1 - smoothing} on the
     *     label and spreads {@code smoothing} evenly over all C classes
     * @param classWeights {@code [C]} weights, or null for none; a sample counts with its class's
     *     weight in both the sum and the normaliser, as PyTorch does
     */
    public static NDArray crossEntropy(
            NDArray logits,
            NDArray labels,
            NDArray present,
            float smoothing,
            NDArray classWeights) {
        long classes = logits.getShape().get(1);
        NDArray safe = labels.mul(present.toType(DataType.INT64, false)); // absent -> class 0
        NDArray logp = logits.logSoftmax(1);
        NDArray target = safe.oneHot((int) classes).toType(DataType.FLOAT32, false); // (B, C)
        if (smoothing > 0) {
            target = Scalars.mul(target, 1 - smoothing).add(smoothing / classes);
        }
        NDArray perSample = logp.mul(target).sum(new int[] {1}).neg(); // (B)
        NDArray weight = present.toType(DataType.FLOAT32, false);
        if (classWeights != null) {
            weight = weight.mul(classWeights.get(safe));
        }
        return perSample.mul(weight).sum().div(Scalars.maximum(weight.sum(), 1e-12f));
    }

    /**
     * Binary cross-entropy on logits, averaged over labels and labelled samples.
     *
     * @param logits {@code [B, K]}
     * @param targets {@code [B, K]} in {0, 1}
     * @param present boolean {@code [B]}
     */
    public static NDArray binaryCrossEntropy(NDArray logits, NDArray targets, NDArray present) {
        // log(1 + e^x) - t·x, written stably as max(x, 0) - t·x + log(1 + e^-|x|)
        NDArray perLabel =
                Scalars.maximum(logits, 0f)
                        .sub(logits.mul(targets))
                        .add(logits.abs().neg().exp().add(1f).log());
        NDArray weight = present.toType(DataType.FLOAT32, false);
        NDArray perSample = perLabel.mean(new int[] {1});
        return perSample.mul(weight).sum().div(Scalars.maximum(weight.sum(), 1f));
    }

    /**
     * Mean squared error.
     *
     * @param predictions {@code [B, 1]} or {@code [B]}
     * @param targets {@code [B]}
     * @param present boolean {@code [B]}
     */
    public static NDArray meanSquaredError(NDArray predictions, NDArray targets, NDArray present) {
        NDArray error = predictions.reshape(targets.getShape()).sub(targets);
        NDArray weight = present.toType(DataType.FLOAT32, false);
        return error.square().mul(weight).sum().div(Scalars.maximum(weight.sum(), 1f));
    }

    /**
     * The symmetric InfoNCE (CLIP) loss aligning two modalities: within a batch, sample i's two
     * embeddings should be each other's nearest among all pairs. Only samples with both modalities
     * take part.
     *
     * @param a {@code [B, E]} one modality's embeddings
     * @param b {@code [B, E]} the other's
     * @param bothPresent boolean {@code [B]}
     * @param temperature the softmax temperature, e.g. 0.07
     */
    public static NDArray infoNce(NDArray a, NDArray b, NDArray bothPresent, float temperature) {
        NDManager manager = a.getManager();
        NDArray na = a.div(Scalars.maximum(a.norm(new int[] {1}, true), 1e-6f));
        NDArray nb = b.div(Scalars.maximum(b.norm(new int[] {1}, true), 1e-6f));
        NDArray logits = Scalars.div(na.matMul(nb.transpose()), temperature); // (B, B)
        NDArray keep = bothPresent.toType(DataType.FLOAT32, false);
        // Pairs with an absent side are removed from both the rows and the candidates.
        NDArray blocked = Scalars.mul(keep.sub(1f), 1e9f).expandDims(0); // (1, B)
        long batch = a.getShape().get(0);
        NDArray diagonal = manager.arange(batch).toType(DataType.INT64, false);
        NDArray rows = Losses.crossEntropy(logits.add(blocked), diagonal, bothPresent, 0f, null);
        NDArray cols =
                Losses.crossEntropy(
                        logits.transpose().add(blocked), diagonal, bothPresent, 0f, null);
        return Scalars.div(rows.add(cols), 2f)
                .mul(keep.sum().gt(1f).toType(DataType.FLOAT32, false));
    }
}
