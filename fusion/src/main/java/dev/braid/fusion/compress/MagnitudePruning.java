package dev.braid.fusion.compress;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Unstructured magnitude pruning: in every weight matrix and kernel (the parameters {@link
 * Int8Weights} quantises), the {@code round(sparsity × n)} weights of smallest magnitude become
 * zero, ties broken by position, so each tensor ends with exactly that many pruned. Per tensor
 * rather than one global threshold, so that a small layer (a head, a 1×1 projection) is not emptied
 * by a large one's scale.
 *
 * <p>The model keeps its shapes: this saves nothing in time, and on disk only once compressed (int8
 * zeros are still a byte each). {@link StructuredPruning} is the one that makes a model faster.
 */
public final class MagnitudePruning {

    private final double sparsity;

    /**
     * @param sparsity the share of each weight tensor to zero, in (0, 1)
     * @throws IllegalArgumentException if it is outside (0, 1)
     */
    public MagnitudePruning(double sparsity) {
        if (!(sparsity > 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity (" + sparsity + ") must be in (0, 1)");
        }
        this.sparsity = sparsity;
    }

    /** The number of weights pruned in a tensor of {@code n}. */
    public long pruned(long n) {
        return Math.round(sparsity * n);
    }

    /**
     * Zeroes the smallest weights of {@code block} in place.
     *
     * @return the number of weights set to zero
     */
    public long apply(Block block) {
        long total = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter parameter = pair.getValue();
            if (!Int8Weights.isWeightMatrix(parameter)) {
                continue;
            }
            NDArray array = parameter.getArray();
            float[] values = array.toFloatArray();
            int k = (int) pruned(values.length);
            int[] order =
                    IntStream.range(0, values.length)
                            .boxed()
                            .sorted(Comparator.comparingDouble(i -> Math.abs(values[i])))
                            .limit(k)
                            .mapToInt(Integer::intValue)
                            .toArray();
            Arrays.stream(order).forEach(i -> values[i] = 0f);
            array.set(FloatBuffer.wrap(values));
            total += k;
        }
        return total;
    }
}
