package dev.braid.audio.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemporalConvBlockTest {

    /**
     * Width 2, three steps x = [[1, 3], [2, 0], [5, 4]], the last one padding. LayerNorm over the
     * two channels maps each real step to [∓1, ±1] (eps aside); GELU(1) = 0.841345, GELU(−1) =
     * −0.158655 (erf form; Φ(1) = 0.841345). The convolution copies channel i of step t + tap − 1
     * to channel i of step t; with the centre tap y = x + h, with the previous-step tap y[t] = x[t]
     * + h[t−1] (h = 0 before the start and at the padded step).
     */
    @ParameterizedTest(name = "tap {0}")
    @ValueSource(ints = {1, 0})
    void residualConvolutionWithKnownWeights(int tap) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TemporalConvBlock block = TemporalConvBlock.builder().setWidth(2).optKernel(3).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2), new Shape(1, 3));
            float[] weight = new float[2 * 2 * 3]; // (out, in, k)
            weight[(0 * 2 + 0) * 3 + tap] = 1;
            weight[(1 * 2 + 1) * 3 + tap] = 1;
            for (Parameter p : block.getParameters().values()) {
                if (p.getName().equals("weight") && p.getArray().getShape().dimension() == 3) {
                    p.getArray().set(FloatBuffer.wrap(weight));
                } else if (p.getName().equals("bias")) {
                    p.getArray().set(FloatBuffer.wrap(new float[] {0, 0}));
                }
            }
            NDList in =
                    new NDList(
                            manager.create(new float[] {1, 3, 2, 0, 5, 4}, new Shape(1, 3, 2)),
                            manager.create(new float[] {1, 1, 0}, new Shape(1, 3)));

            float[] y =
                    block.forward(new ParameterStore(manager, false), in, false)
                            .singletonOrThrow()
                            .toFloatArray();

            float[] h1 = {-0.158655f, 0.841345f};
            float[] h2 = {0.841345f, -0.158655f};
            float[] expected =
                    tap == 1
                            ? new float[] {1 + h1[0], 3 + h1[1], 2 + h2[0], 0 + h2[1], 5, 4}
                            : new float[] {1, 3, 2 + h1[0], 0 + h1[1], 5 + h2[0], 4 + h2[1]};
            assertArrayEquals(expected, y, 1e-4f);
            assertEquals(
                    new Shape(1, 3, 2),
                    block.getOutputShapes(new Shape[] {new Shape(1, 3, 2), new Shape(1, 3)})[0]);
        }
    }
}
