package dev.braid.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.braid.tensor.testing.ForcedCollection;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values and gradients of {@link Scalars}, with a garbage collection between forward and backward.
 */
class ScalarsTest {

    /** w = [2, 0.5, -1]; each op's value and d(sum op(w))/dw worked out by hand. */
    static Stream<Arguments> ops() {
        return Stream.of(
                Arguments.of(
                        "mul 8",
                        op(w -> Scalars.mul(w, 8)),
                        new float[] {16, 4, -8},
                        new float[] {8, 8, 8}),
                Arguments.of(
                        "div 4",
                        op(w -> Scalars.div(w, 4)),
                        new float[] {0.5f, 0.125f, -0.25f},
                        new float[] {0.25f, 0.25f, 0.25f}),
                // d(w³) = 3w²
                Arguments.of(
                        "pow 3",
                        op(w -> Scalars.pow(w, 3)),
                        new float[] {8, 0.125f, -1},
                        new float[] {12, 0.75f, 3}),
                Arguments.of(
                        "maximum 1",
                        op(w -> Scalars.maximum(w, 1)),
                        new float[] {2, 1, 1},
                        new float[] {1, 0, 0}),
                Arguments.of(
                        "minimum 1",
                        op(w -> Scalars.minimum(w, 1)),
                        new float[] {1, 0.5f, -1},
                        new float[] {0, 1, 1}));
    }

    private static UnaryOperator<NDArray> op(UnaryOperator<NDArray> f) {
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void valueAndGradientSurviveACollection(
            String name, UnaryOperator<NDArray> op, float[] value, float[] gradient)
            throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {2, 0.5f, -1});
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(w);
                assertArrayEquals(value, y.toFloatArray(), 1e-6f);
                ForcedCollection.now();
                collector.backward(y.sum());
            }
            assertArrayEquals(gradient, w.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void theScalarTakesTheTensorsTypeAndLeavesNothingBehind() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ints = manager.create(new int[] {3, 4});
            assertEquals(DataType.INT32, Scalars.like(ints, 2).getDataType());
            // integer true division, as NDArray.div(NDArray): 3/2 = 1.5
            assertArrayEquals(new float[] {1.5f, 2}, Scalars.div(ints, 2).toFloatArray());
            NDArray x = manager.create(new float[] {1, 2});
            int before = manager.getManagedArrays().size();
            Scalars.muli(x, 3);
            Scalars.divi(x, 2);
            assertArrayEquals(new float[] {1.5f, 3}, x.toFloatArray());
            assertEquals(before, manager.getManagedArrays().size(), "no scalar left open");
        }
    }

    /**
     * The defect {@link Scalars} exists for, in DJL 0.35.1: {@code w.mul(8f)} after a collection
     * gives a gradient other than 8. If this starts failing, DJL keeps its scalars alive now, and
     * the rule against {@code NDArray.op(Number)} in Braid's main sources can be relaxed.
     */
    @Test
    void djlsNumberOverloadLosesItsScalarToTheCollector() throws InterruptedException {
        int wrong = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray w = manager.ones(new ai.djl.ndarray.types.Shape(4));
                w.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = w.mul(8f);
                    ForcedCollection.now();
                    collector.backward(y.sum());
                }
                if (w.getGradient().getFloat(0) != 8f) {
                    wrong++;
                }
            }
        }
        assertTrue(wrong > 0, "DJL's w.mul(8f) gave the right gradient 20 times out of 20");
    }
}
