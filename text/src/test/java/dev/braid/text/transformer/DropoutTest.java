package dev.braid.text.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DropoutTest {

    private static float[] train(Dropout dropout, NDArray x, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return dropout.forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
                .singletonOrThrow()
                .toFloatArray();
    }

    @Test
    void dropsTheRateAndScalesTheRestSoTheMeanStays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int n = 200_000;
            float[] ones = new float[n];
            Arrays.fill(ones, 1f);
            Dropout dropout = Dropout.builder().optRate(0.25f).build();
            float[] y = train(dropout, manager.create(ones), 3);
            int kept = 0;
            for (float v : y) {
                if (v != 0) {
                    assertEquals(1f / 0.75f, v, 0f);
                    kept++;
                }
            }
            // binomial(200000, 0.75): standard deviation 194 elements; 5 of them allowed
            assertEquals(0.75 * n, kept, 5 * Math.sqrt(n * 0.75 * 0.25));
        }
    }

    @Test
    void theEngineSeedFixesTheMask() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(3, 7, 11));
            Dropout dropout = Dropout.builder().optRate(0.5f).build();
            assertArrayEquals(train(dropout, x, 9), train(dropout, x, 9), 0f);
            assertFalse(Arrays.equals(train(dropout, x, 9), train(dropout, x, 10)));
        }
    }

    @Test
    void outsideTrainingAndAtRateZeroItIsTheIdentity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList x = new NDList(manager.randomNormal(new Shape(4, 5)));
            ParameterStore store = new ParameterStore(manager, false);
            assertSame(x, Dropout.builder().optRate(0.5f).build().forward(store, x, false));
            assertSame(x, Dropout.builder().optRate(0f).build().forward(store, x, true));
        }
    }

    @Test
    void theGradientIsTheMask() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(50));
            x.setRequiresGradient(true);
            Dropout dropout = Dropout.builder().optRate(0.5f).build();
            Engine.getInstance().setRandomSeed(4);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        dropout.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .singletonOrThrow();
                y = out.toFloatArray();
                collector.backward(out.sum());
            }
            float[] input = x.toFloatArray();
            float[] gradient = x.getGradient().toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(y[i] == 0 ? 0f : 2f, gradient[i], 0f);
                assertEquals(y[i] == 0 ? 0f : 2f * input[i], y[i], 1e-6f);
            }
        }
    }

    @Test
    void savesAsDjlsDropoutDoes() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.norm.Dropout djl = ai.djl.nn.norm.Dropout.builder().optRate(0.5f).build();
            djl.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            djl.saveParameters(new DataOutputStream(bytes));
            Dropout ours = Dropout.builder().optRate(0.5f).build();
            ours.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            ours.saveParameters(new DataOutputStream(again));
            assertArrayEquals(bytes.toByteArray(), again.toByteArray());
        }
    }

    @Test
    void aRateOutsideZeroToOneIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Dropout.builder().optRate(1f).build());
        assertEquals("rate (1.0) must be in [0, 1)", e.getMessage());
    }
}
