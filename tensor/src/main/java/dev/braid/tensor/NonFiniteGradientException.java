package dev.braid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * A training step produced a gradient with NaN or infinite elements. The step is not applied: a NaN
 * fed to Adam would stay in its moments for good. Braid does not recompute or skip such a step,
 * since a finite loss with a non-finite gradient is a bug to find, not noise to retry (the first
 * version's "random" NaN gradients were DJL freeing a scalar before backward; see {@link Scalars}).
 */
public final class NonFiniteGradientException extends IllegalStateException {

    private final int step;
    private final String parameter;

    private NonFiniteGradientException(String message, int step, String parameter) {
        super(message);
        this.step = step;
        this.parameter = parameter;
    }

    /**
     * The exception for {@code step}, naming the first of {@code parameters} whose gradient is not
     * finite. Called once the global norm was found non-finite, so the per-parameter scan runs only
     * on the way out.
     */
    public static NonFiniteGradientException at(int step, float loss, List<Parameter> parameters) {
        String name = "(none found: the norm overflowed)";
        for (Parameter p : parameters) {
            try (NDArray gradient = p.getArray().getGradient();
                    NDArray bad = gradient.isNaN().logicalOr(gradient.isInfinite());
                    NDArray any = bad.any()) {
                if (any.getBoolean()) {
                    name = p.getName();
                    break;
                }
            }
        }
        return new NonFiniteGradientException(
                "step "
                        + step
                        + ": the gradient of parameter "
                        + name
                        + " is not finite (loss "
                        + loss
                        + "). Braid does not retry such a step; if a block of your own multiplies"
                        + " by a Java number, use dev.braid.tensor.Scalars (DJL's NDArray.mul(Number)"
                        + " frees its scalar before backward reads it)",
                step,
                name);
    }

    /** The step whose gradient was not finite, counted from 0. */
    public int step() {
        return step;
    }

    /** The name of the first parameter whose gradient was not finite. */
    public String parameter() {
        return parameter;
    }
}
