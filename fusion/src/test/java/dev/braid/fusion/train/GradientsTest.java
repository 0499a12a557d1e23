package dev.braid.fusion.train;

import static dev.braid.fusion.train.TestParameters.gradient;
import static dev.braid.fusion.train.TestParameters.parameter;
import static dev.braid.fusion.train.TestParameters.setGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientsTest {

    @Test
    void clipsToMaxNormByOneCommonFactor() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = twoParameters(manager);
            // gradients [3, 0] and [[0, 4]]: global norm sqrt(9 + 16) = 5
            setGradients(manager, parameters, new float[] {3, 0}, new float[] {0, 4});
            float norm = Gradients.clipByGlobalNorm(parameters, 1f, manager);
            assertEquals(5f, norm, 1e-6f);
            // scaled by 1/5
            assertArrayEquals(new float[] {0.6f, 0}, gradient(parameters.get(0)), 1e-6f);
            assertArrayEquals(new float[] {0, 0.8f}, gradient(parameters.get(1)), 1e-6f);
            assertEquals(1f, Gradients.globalNorm(parameters, manager), 1e-6f);
        }
    }

    @Test
    void belowMaxNormNothingChanges() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = twoParameters(manager);
            setGradients(manager, parameters, new float[] {3, 0}, new float[] {0, 4});
            assertEquals(5f, Gradients.clipByGlobalNorm(parameters, 10f, manager), 1e-6f);
            assertArrayEquals(new float[] {3, 0}, gradient(parameters.get(0)), 0f);
        }
    }

    @Test
    void aNonFiniteGradientGivesANonFiniteNormAndIsLeftAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = twoParameters(manager);
            setGradients(manager, parameters, new float[] {3, 0}, new float[] {Float.NaN, 4});
            float norm = Gradients.clipByGlobalNorm(parameters, 1f, manager);
            assertTrue(Float.isNaN(norm), "norm " + norm);
            assertArrayEquals(new float[] {3, 0}, gradient(parameters.get(0)), 0f);
        }
    }

    @Test
    void scaleAndZeroWorkInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = twoParameters(manager);
            setGradients(manager, parameters, new float[] {3, -1}, new float[] {Float.NaN, 4});
            Gradients.scale(parameters, 0.5f);
            assertArrayEquals(new float[] {1.5f, -0.5f}, gradient(parameters.get(0)), 0f);
            Gradients.zero(parameters);
            assertArrayEquals(new float[] {0, 0}, gradient(parameters.get(0)), 0f);
            assertArrayEquals(new float[] {0, 0}, gradient(parameters.get(1)), 0f);
        }
    }

    @Test
    void normLeavesNoArraysBehind() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = twoParameters(manager);
            setGradients(manager, parameters, new float[] {3, 0}, new float[] {0, 4});
            int before = manager.getManagedArrays().size();
            Gradients.clipByGlobalNorm(parameters, 1f, manager);
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    private static List<Parameter> twoParameters(NDManager manager) {
        return List.of(
                parameter(manager, "bias", new float[] {1, 2}, new Shape(2)),
                parameter(manager, "weight", new float[] {1, 2}, new Shape(1, 2)));
    }
}
