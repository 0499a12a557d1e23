package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
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

    /** {@code α · soft + (1 − α) · hard}. */
    public static NDArray mix(NDArray soft, NDArray hard, float alpha) {
        return Scalars.mul(soft, alpha).add(Scalars.mul(hard, 1 - alpha));
    }
}
