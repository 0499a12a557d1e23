package dev.braid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between a tensor and a Java number that stays correct under autograd.
 *
 * <p>DJL 0.35.1's PyTorch engine implements {@code x.mul(2f)} as {@code try (NDArray n =
 * manager.create(2f)) { return x.mul(n); }}. On the CPU, {@code manager.create} wraps a Java direct
 * {@code ByteBuffer} with {@code torch::from_blob}, so the scalar's storage belongs to Java, kept
 * alive by one field of the array that {@code close()} clears. Autograd saves that scalar for the
 * backward pass of {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum}; a
 * garbage collection between forward and backward frees the buffer, and backward reads freed
 * memory. The gradients come out non-finite, or finite and wrong.
 *
 * <p>Here the scalar is made by {@code torch::full}, so torch owns its storage and autograd's
 * reference keeps it alive: closing the Java handle right after the op is safe, and nothing is left
 * on any manager. Every Braid block, loss and head passes numbers through this class; a build rule
 * ({@code ScalarOperandRuleTest}) refuses the {@code NDArray.op(Number)} overloads in main sources.
 * A user writing their own block should do the same.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A 0-dimensional tensor holding {@code value} in the data type, manager and device of {@code
     * like}, its storage owned by torch. The caller closes it (or leaves it to {@code like}'s
     * manager).
     */
    public static NDArray like(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * value}, element-wise. */
    public static NDArray mul(NDArray x, double value) {
        return withScalar(x, value, NDArray::mul);
    }

    /** {@code x / value}, element-wise (true division, as {@link NDArray#div(NDArray)}). */
    public static NDArray div(NDArray x, double value) {
        return withScalar(x, value, NDArray::div);
    }

    /** {@code x ^ value}, element-wise. */
    public static NDArray pow(NDArray x, double value) {
        return withScalar(x, value, NDArray::pow);
    }

    /** {@code max(x, value)}, element-wise. */
    public static NDArray maximum(NDArray x, double value) {
        return withScalar(x, value, NDArray::maximum);
    }

    /** {@code min(x, value)}, element-wise. */
    public static NDArray minimum(NDArray x, double value) {
        return withScalar(x, value, NDArray::minimum);
    }

    /** {@code x *= value} in place; returns {@code x}. */
    public static NDArray muli(NDArray x, double value) {
        return withScalar(x, value, NDArray::muli);
    }

    /** {@code x /= value} in place; returns {@code x}. */
    public static NDArray divi(NDArray x, double value) {
        return withScalar(x, value, NDArray::divi);
    }

    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> operation) {
        try (NDArray scalar = like(x, value)) {
            return operation.apply(x, scalar);
        }
    }
}
