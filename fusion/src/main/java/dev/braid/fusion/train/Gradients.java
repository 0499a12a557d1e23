package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.braid.tensor.Scalars;
import java.util.List;

/**
 * Operations on the gradients of a list of parameters, all in place: the global norm and clipping
 * by it, scaling (gradient accumulation) and zeroing.
 *
 * <p>Every array these methods make is closed before they return.
 */
public final class Gradients {

    private Gradients() {}

    /**
     * The L2 norm of all gradients taken together, {@code sqrt(Σ g²)} over every element of every
     * gradient, read back to Java once.
     *
     * @param scratch a manager for the temporaries, e.g. the step's; they are closed before return
     * @return the norm; infinite or NaN if any gradient element is
     */
    public static float globalNorm(List<Parameter> parameters, NDManager scratch) {
        if (parameters.isEmpty()) {
            return 0f;
        }
        try (NDManager local = scratch.newSubManager()) {
            NDList sums = new NDList(parameters.size());
            for (Parameter parameter : parameters) {
                try (NDArray gradient = parameter.getArray().getGradient();
                        NDArray squared = gradient.square()) {
                    NDArray sum = squared.sum();
                    sum.attach(local);
                    sums.add(sum);
                }
            }
            NDArray stacked = NDArrays.stack(sums);
            return stacked.sum().sqrt().getFloat();
        }
    }

    /**
     * Clips by global norm: if the {@link #globalNorm} exceeds {@code maxNorm}, multiplies every
     * gradient by {@code maxNorm / norm}, so the clipped norm is {@code maxNorm}; otherwise leaves
     * them alone. (PyTorch's {@code clip_grad_norm_} divides by {@code norm + 1e-6} instead.) A
     * non-finite norm leaves the gradients alone: the caller should stop (see {@code
     * NonFiniteGradientException}).
     *
     * @param maxNorm the largest allowed global norm, positive
     * @param scratch a manager for the temporaries
     * @return the norm before clipping; non-finite if any gradient element is
     * @throws IllegalArgumentException if {@code maxNorm} is not positive
     */
    public static float clipByGlobalNorm(
            List<Parameter> parameters, float maxNorm, NDManager scratch) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm (" + maxNorm + ") must be positive");
        }
        float norm = globalNorm(parameters, scratch);
        if (Float.isFinite(norm) && norm > maxNorm) {
            scale(parameters, maxNorm / norm);
        }
        return norm;
    }

    /**
     * Multiplies every gradient by {@code factor} in place; {@code 1/k} turns the sum of {@code k}
     * accumulated micro-batch gradients into their mean.
     */
    public static void scale(List<Parameter> parameters, float factor) {
        for (Parameter parameter : parameters) {
            try (NDArray gradient = parameter.getArray().getGradient()) {
                Scalars.muli(gradient, factor);
            }
        }
    }

    /**
     * Sets every gradient to zero in place. Backward passes add to the gradients, so this runs
     * after each optimiser step.
     */
    public static void zero(List<Parameter> parameters) {
        for (Parameter parameter : parameters) {
            // zero_() in place: arithmetic such as g * 0 would keep NaN
            JniUtils.zeroGrad((PtNDArray) parameter.getArray());
        }
    }
}
