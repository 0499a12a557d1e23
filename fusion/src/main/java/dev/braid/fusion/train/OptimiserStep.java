package dev.braid.fusion.train;

import ai.djl.nn.Parameter;
import dev.braid.tensor.NonFiniteGradientException;
import java.util.List;

/**
 * What every Braid training step does once its backward passes have left the gradients: the global
 * gradient norm (read back once), a {@link NonFiniteGradientException} naming the step and the
 * parameter if it is not finite, clipping by that norm (folded into the update), the AdamW update
 * and the zeroing of every gradient. Fusion training ({@link FusionTrainer}) and masked-LM
 * pre-training ({@link MlmPretrainer}) both take their steps through it.
 */
final class OptimiserStep {

    /** What the step did: its loss, the gradients' norm before clipping, the clipping factor. */
    record Outcome(float loss, float gradientNorm, float gradientScale) {}

    private final AdamW optimizer;
    private final float clipNorm;

    /**
     * @param clipNorm the global norm gradients are clipped to; 0 for no clipping
     */
    OptimiserStep(AdamW optimizer, float clipNorm) {
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
    }

    /**
     * Updates {@code trainable} from their gradients and zeroes the gradients of {@code all}.
     *
     * @param step the step's number, for the error
     * @param loss the step's loss, for the error and the outcome
     * @throws NonFiniteGradientException if a gradient is not finite; nothing is updated then
     */
    Outcome take(
            int step,
            float loss,
            float learningRate,
            List<Parameter> trainable,
            List<Parameter> all) {
        float norm = optimizer.clipAndStep(trainable, learningRate, clipNorm);
        if (!Float.isFinite(norm)) {
            throw NonFiniteGradientException.at(step, loss, trainable);
        }
        float scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1f;
        Gradients.zero(all);
        return new Outcome(loss, norm, scale);
    }
}
