package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.braid.tensor.Scalars;

/**
 * The soft-target loss of knowledge distillation (Hinton et al., 2015): the KL divergence from the
 * teacher's class distribution to the student's, both softened by a temperature T, times T² so that
 * its gradients keep their size as T changes, averaged over the batch:
 *
 * <pre>
 *   soft = T² · mean_b Σ_c p_t(c) · (log p_t(c) − log p_s(c)),   p = softmax(logits / T)
 *   loss = α · soft + (1 − α) · hard
 * </pre>
 */
public final class DistillationLoss {

    private DistillationLoss() {}

    /**
     * The soft-target term.
     *
     * @param student the student's logits {@code [B, C]}
     * @param teacher the teacher's logits {@code [B, C]}, no gradient needed
     * @param temperature T, positive
     * @return a scalar, 0 when the two are equal
     */
    public static NDArray soft(NDArray student, NDArray teacher, float temperature) {
        NDArray logStudent = Scalars.div(student, temperature).logSoftmax(1); // (B, C)
        NDArray logTeacher = Scalars.div(teacher, temperature).logSoftmax(1); // (B, C)
        NDArray perSample =
                logTeacher.exp().mul(logTeacher.sub(logStudent)).sum(new int[] {1}); // (B)
        return Scalars.mul(perSample.mean(), (double) temperature * temperature);
    }

    /**
     * The token-level soft-target term of a generation head (Kim and Rush 2016's word-level
     * distillation): at every scored position of the teacher-forced reference reply, the KL
     * divergence from the teacher's next-token distribution to the student's, both at temperature
     * T, times T², averaged over the scored positions (padding and unlabelled rows ignored).
     *
     * <p>A decoder that copies from its memory ({@code DecoderConfig.copyFromMemory}, {@code
     * MemoryCopy}) outputs log-probabilities rather than logits; the temperature is applied to them
     * the same way, {@code softmax(log p / T)}, which is the distribution {@code p^(1/T)}
     * renormalised: the same softening as for logits, since log p differs from the logits it came
     * from by a constant per position (and at T = 1 it is p itself).
     *
     * @param student the student's logits (or log-probabilities) {@code [B, T, V]}
     * @param teacher the teacher's {@code [B, T, V]} over the same reply, no gradient needed
     * @param scored which positions count {@code [B, T]}, boolean
     * @param temperature T, positive
     * @return a scalar, 0 when the two are equal or nothing is scored
     */
    public static NDArray sequence(
            NDArray student, NDArray teacher, NDArray scored, float temperature) {
        NDArray logStudent = Scalars.div(student, temperature).logSoftmax(2); // (B, T, V)
        NDArray logTeacher = Scalars.div(teacher, temperature).logSoftmax(2); // (B, T, V)
        NDArray perToken =
                logTeacher.exp().mul(logTeacher.sub(logStudent)).sum(new int[] {2}); // (B, T)
        NDArray weights = scored.toType(DataType.FLOAT32, false); // (B, T)
        NDArray count = Scalars.maximum(weights.sum(), 1); // no position: 0, not 0 / 0
        return Scalars.mul(
                perToken.mul(weights).sum().div(count), (double) temperature * temperature);
    }

    /** {@code α · soft + (1 − α) · hard}. */
    public static NDArray mix(NDArray soft, NDArray hard, float alpha) {
        return Scalars.mul(soft, alpha).add(Scalars.mul(hard, 1 - alpha));
    }
}
