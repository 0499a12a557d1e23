package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Int8WeightsTest {

    @TempDir Path dir;

    private static Linear linear(NDManager manager) {
        Linear linear = Linear.builder().setUnits(4).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
        return linear;
    }

    @Test
    void aQuantisedLinearLayerAnswersCloseToTheFloatOne() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Linear exact = linear(m);
            NDArray x = m.randomNormal(new Shape(2, 8));
            float[] y =
                    exact.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow()
                            .toFloatArray();
            Path file = dir.resolve("linear.int8");
            Int8Weights.save(exact, file);
            Linear loaded = linear(m);
            Int8Weights.load(loaded, file);
            float[] yq =
                    loaded.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow()
                            .toFloatArray();
            // each weight moves by at most s_c / 2 (the bias is kept as float), so output c of
            // sample b moves by at most sum_i |x_bi| * s_c / 2, s_c = max_i |w_ci| / 127
            float[] w = exact.getParameters().get("weight").getArray().toFloatArray();
            float[] in = x.toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 4; c++) {
                    float max = 0;
                    float sumAbsX = 0;
                    for (int i = 0; i < 8; i++) {
                        max = Math.max(max, Math.abs(w[c * 8 + i]));
                        sumAbsX += Math.abs(in[b * 8 + i]);
                    }
                    float bound = sumAbsX * max / 127 / 2;
                    float error = Math.abs(y[b * 4 + c] - yq[b * 4 + c]);
                    assertTrue(
                            error <= bound + 1e-6f, "output " + c + ": " + error + " > " + bound);
                    assertTrue(error > 0 || bound == 0, "the weights were not quantised");
                }
            }
            assertEquals(
                    exact.getParameters().get("bias").getArray().toFloatArray()[0],
                    loaded.getParameters().get("bias").getArray().toFloatArray()[0]);
        }
    }
}
