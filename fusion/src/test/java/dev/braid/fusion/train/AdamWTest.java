package dev.braid.fusion.train;

import static dev.braid.fusion.train.TestParameters.parameter;
import static dev.braid.fusion.train.TestParameters.setGradients;
import static dev.braid.fusion.train.TestParameters.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdamWTest {

    private static final AdamWConfig CONFIG = new AdamWConfig(0.9, 0.999, 1e-8, 0.1);

    @Test
    void twoStepsMatchPyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = parameter(manager, "weight", new float[] {1f, -2f}, new Shape(1, 2));
            Parameter b = parameter(manager, "bias", new float[] {0.5f, -0.5f}, new Shape(2));
            List<Parameter> parameters = List.of(w, b);
            AdamW adamW = new AdamW(CONFIG, manager, parameters);

            setGradients(manager, parameters, new float[] {0.5f, -1f}, new float[] {0.2f, 0f});
            adamW.step(parameters, 0.1f);
            // By hand: at t=1 the update is g / (|g| + eps) = sign(g) (0 where g = 0), and the
            // 2-D weight first shrinks by 1 - lr * wd = 0.99: w = [0.99 - 0.1, -1.98 + 0.1].
            assertArrayEquals(new float[] {0.89f, -1.88f}, values(w), 1e-6f);
            assertArrayEquals(new float[] {0.4f, -0.5f}, values(b), 1e-6f);

            setGradients(manager, parameters, new float[] {0.25f, 2f}, new float[] {-0.4f, 0.1f});
            adamW.step(parameters, 0.05f);
            // Printed by src/test/resources/dev/braid/fusion/train/adamw_reference.py
            // (torch.optim.AdamW, torch 1.13, the bias in a group with weight_decay 0); the update
            // runs in float32 in libtorch, 2e-6 is a few float32 ulps at this magnitude
            assertArrayEquals(new float[] {0.838941038f, -1.88890517f}, values(w), 2e-6f);
            assertArrayEquals(new float[] {0.418305188f, -0.537206829f}, values(b), 2e-6f);
            assertEquals(2, adamW.steps());
        }
    }

    @Test
    void aGradientScaleActsAsScaledGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Adam ignores a scale that is the same every step (m / sqrt(v) cancels it), so the
            // steps get different scales, as clipping gives them
            Parameter w = parameter(manager, "weight", new float[] {1f, -2f}, new Shape(1, 2));
            AdamW adamW = new AdamW(CONFIG, manager, List.of(w));
            setGradients(manager, List.of(w), new float[] {0.5f, -1f});
            adamW.step(List.of(w), 0.1f, 1f);
            setGradients(manager, List.of(w), new float[] {0.25f, 2f});
            adamW.step(List.of(w), 0.05f, 0.25f);

            Parameter u = parameter(manager, "weight", new float[] {1f, -2f}, new Shape(1, 2));
            AdamW reference = new AdamW(CONFIG, manager, List.of(u));
            setGradients(manager, List.of(u), new float[] {0.5f, -1f});
            reference.step(List.of(u), 0.1f);
            setGradients(manager, List.of(u), new float[] {0.0625f, 0.5f}); // scaled beforehand
            reference.step(List.of(u), 0.05f);
            assertArrayEquals(values(u), values(w), 1e-6f);

            Parameter unscaled =
                    parameter(manager, "weight", new float[] {1f, -2f}, new Shape(1, 2));
            AdamW plain = new AdamW(CONFIG, manager, List.of(unscaled));
            setGradients(manager, List.of(unscaled), new float[] {0.5f, -1f});
            plain.step(List.of(unscaled), 0.1f);
            setGradients(manager, List.of(unscaled), new float[] {0.25f, 2f});
            plain.step(List.of(unscaled), 0.05f);
            float[] differs = values(unscaled);
            assertTrue(Math.abs(differs[0] - values(w)[0]) > 1e-3f, "the scale changes the step");
        }
    }

    @Test
    void weightDecayShrinksMatricesButNotVectors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = parameter(manager, "weight", new float[] {2f, -4f}, new Shape(2, 1));
            Parameter b = parameter(manager, "bias", new float[] {2f, -4f}, new Shape(2));
            List<Parameter> parameters = List.of(w, b);
            AdamW adamW = new AdamW(CONFIG, manager, parameters);
            // a zero gradient leaves only the decay: m = v = 0, so the Adam update is 0 / eps = 0
            setGradients(manager, parameters, new float[2], new float[2]);
            adamW.step(parameters, 0.5f);
            // w *= 1 - 0.5 * 0.1
            assertArrayEquals(new float[] {1.9f, -3.8f}, values(w), 1e-7f);
            assertArrayEquals(new float[] {2f, -4f}, values(b), 0f);
        }
    }

    @Test
    void clipAndStepClipsLikeClippingTheGradientsFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] gradients = {{3f, -4f}, {12f, 0f}}; // global norm 13
            List<Parameter> clipped = freshPair(manager);
            AdamW first = new AdamW(CONFIG, manager, clipped);
            List<Parameter> folded = freshPair(manager);
            AdamW second = new AdamW(CONFIG, manager, folded);
            for (int step = 0; step < 3; step++) {
                float[][] g = {scaled(gradients[0], step + 1), scaled(gradients[1], 1)};
                setGradients(manager, clipped, g);
                float norm = Gradients.clipByGlobalNorm(clipped, 5f, manager);
                first.step(clipped, 0.1f);
                setGradients(manager, folded, g);
                assertEquals(norm, second.clipAndStep(folded, 0.1f, 5f), 1e-5f * norm);
            }
            for (int i = 0; i < clipped.size(); i++) {
                assertArrayEquals(values(clipped.get(i)), values(folded.get(i)), 1e-6f);
            }
        }
    }

    @Test
    void aLargeParameterUpdatedOnItsOwnFollowsTheSameRule() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 32768 rows of the small weight's two values, with 32768 rows of its gradient: every
            // row of the large one (a native call of its own) must follow the small one (flat)
            int rows = 32768;
            Parameter small = parameter(manager, "small", new float[] {1f, -2f}, new Shape(1, 2));
            Parameter large =
                    parameter(
                            manager,
                            "large",
                            tiled(new float[] {1f, -2f}, rows),
                            new Shape(rows, 2));
            AdamW forSmall = new AdamW(CONFIG, manager, List.of(small));
            AdamW forLarge = new AdamW(CONFIG, manager, List.of(large));
            for (int step = 0; step < 3; step++) {
                float[] g = {0.5f - step, 0.25f * step + 0.1f};
                setGradients(manager, List.of(small), g);
                forSmall.step(List.of(small), 0.1f, 0.5f);
                setGradients(manager, List.of(large), tiled(g, rows));
                forLarge.step(List.of(large), 0.1f, 0.5f);
            }
            // the two compute the same rule in a different order: a few float32 ulps apart
            float[] expected = tiled(values(small), rows);
            assertArrayEquals(expected, values(large), 5e-6f);
            assertTrue(Math.abs(values(small)[1] + 2f) > 0.1f, "the weights did move");
        }
    }

    private static float[] tiled(float[] values, int times) {
        float[] out = new float[values.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i % values.length];
        }
        return out;
    }

    @Test
    void aNonFiniteNormUpdatesNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = freshPair(manager);
            AdamW adamW = new AdamW(CONFIG, manager, parameters);
            setGradients(manager, parameters, new float[] {1f, Float.NaN}, new float[] {1f, 1f});
            assertTrue(Float.isNaN(adamW.clipAndStep(parameters, 0.1f, 1f)));
            assertArrayEquals(new float[] {1f, -2f}, values(parameters.get(0)), 0f);
            assertArrayEquals(new float[] {0.5f, -0.5f}, values(parameters.get(1)), 0f);
            assertEquals(0, adamW.steps());

            // the moments were left alone too: the next step is that of a fresh optimiser
            List<Parameter> fresh = freshPair(manager);
            AdamW reference = new AdamW(CONFIG, manager, fresh);
            float[][] g = {{0.5f, -1f}, {0.2f, 0f}};
            setGradients(manager, parameters, g);
            adamW.clipAndStep(parameters, 0.1f, 0f);
            setGradients(manager, fresh, g);
            reference.step(fresh, 0.1f);
            for (int i = 0; i < fresh.size(); i++) {
                assertArrayEquals(values(fresh.get(i)), values(parameters.get(i)), 0f);
            }
        }
    }

    @Test
    void aParameterFrozenForAWhileKeepsItsOwnBiasCorrection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // together: w and b in one optimiser, b left out of the second and third steps
            List<Parameter> together = freshPair(manager);
            AdamW both = new AdamW(CONFIG, manager, together);
            // apart: each in an optimiser of its own, stepped when the other one is
            List<Parameter> apart = freshPair(manager);
            AdamW forW = new AdamW(CONFIG, manager, apart.subList(0, 1));
            AdamW forB = new AdamW(CONFIG, manager, apart.subList(1, 2));
            boolean[] bSteps = {true, false, false, true, true};
            for (int step = 0; step < bSteps.length; step++) {
                float[][] g = {{0.3f * (step + 1), -1f}, {0.2f, -0.1f * step}};
                setGradients(manager, together, g);
                both.step(bSteps[step] ? together : together.subList(0, 1), 0.05f);
                setGradients(manager, apart, g);
                forW.step(apart.subList(0, 1), 0.05f);
                if (bSteps[step]) {
                    forB.step(apart.subList(1, 2), 0.05f);
                }
            }
            for (int i = 0; i < together.size(); i++) {
                assertArrayEquals(values(apart.get(i)), values(together.get(i)), 0f);
            }
        }
    }

    private static List<Parameter> freshPair(NDManager manager) {
        return List.of(
                parameter(manager, "weight", new float[] {1f, -2f}, new Shape(1, 2)),
                parameter(manager, "bias", new float[] {0.5f, -0.5f}, new Shape(2)));
    }

    private static float[] scaled(float[] values, float factor) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    @ParameterizedTest(name = "with a large parameter: {0}")
    @ValueSource(booleans = {false, true})
    void saveLoadAndContinueEqualsUninterruptedBitForBit(boolean large) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Function<NDManager, List<Parameter>> fresh =
                    large ? AdamWTest::withALargeOne : AdamWTest::freshParameters;
            List<Parameter> straight = fresh.apply(manager);
            AdamW uninterrupted = new AdamW(CONFIG, manager, straight);
            for (int step = 0; step < 4; step++) {
                quadraticStep(manager, straight, uninterrupted, step);
            }

            List<Parameter> resumed = fresh.apply(manager);
            AdamW before = new AdamW(CONFIG, manager, resumed);
            quadraticStep(manager, resumed, before, 0);
            quadraticStep(manager, resumed, before, 1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            before.save(new DataOutputStream(bytes));
            before.close();
            AdamW after =
                    AdamW.load(
                            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
                            manager,
                            resumed);
            assertEquals(2, after.steps());
            assertEquals(CONFIG, after.config());
            quadraticStep(manager, resumed, after, 2);
            quadraticStep(manager, resumed, after, 3);

            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(values(straight.get(i)), values(resumed.get(i)), 0f);
            }
        }
    }

    /** The fresh pair and a parameter large enough to be updated by a call of its own. */
    private static List<Parameter> withALargeOne(NDManager manager) {
        float[] values = new float[3 * 32768];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7) * 0.25f - 0.5f;
        }
        List<Parameter> parameters = new ArrayList<>(freshParameters(manager));
        parameters.add(parameter(manager, "large", values, new Shape(32768, 3)));
        return parameters;
    }

    @Test
    void loadRejectsAnotherModelNamingTheParameter() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = freshParameters(manager);
            AdamW adamW = new AdamW(CONFIG, manager, parameters);
            quadraticStep(manager, parameters, adamW, 0);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adamW.save(new DataOutputStream(bytes));
            List<Parameter> other =
                    List.of(
                            parameters.get(0),
                            parameter(manager, "bias", new float[] {1, 2, 3}, new Shape(3)));
            IOException e =
                    assertThrows(
                            IOException.class,
                            () ->
                                    AdamW.load(
                                            new DataInputStream(
                                                    new ByteArrayInputStream(bytes.toByteArray())),
                                            manager,
                                            other));
            assertTrue(e.getMessage().contains("parameter 1 is bias (2)"), e.getMessage());
        }
    }

    @Test
    void stepsDoNotAccumulateArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = withALargeOne(manager);
            AdamW adamW = new AdamW(CONFIG, manager, parameters);
            quadraticStep(manager, parameters, adamW, 0);
            int after1 = manager.getManagedArrays().size();
            for (int step = 1; step < 20; step++) {
                quadraticStep(manager, parameters, adamW, step);
            }
            assertEquals(after1, manager.getManagedArrays().size());
        }
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new AdamWConfig(1.0, 0.999, 1e-8, 0));
        assertTrue(e.getMessage().contains("beta1 (1.0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(0.9, 0.999, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamWConfig(0.9, 0.999, 1e-8, -1));
        assertEquals(new AdamWConfig(0.9, 0.999, 1e-8, 0.01), AdamWConfig.defaults());
    }

    private static List<Parameter> freshParameters(NDManager manager) {
        return List.of(
                parameter(manager, "weight", new float[] {1f, -2f, 0.5f, 3f}, new Shape(2, 2)),
                parameter(manager, "bias", new float[] {0.5f, -0.5f}, new Shape(2)));
    }

    /** One step on loss = Σ (p - 1)², whose gradient depends on the parameters. */
    private static void quadraticStep(
            NDManager manager, List<Parameter> parameters, AdamW adamW, int step) {
        Gradients.zero(parameters);
        try (NDManager scratch = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = scratch.zeros(new Shape());
            for (Parameter parameter : parameters) {
                // ops on a parameter attach their result to the parameter's manager: move it
                NDArray difference = parameter.getArray().sub(1f);
                difference.attach(scratch);
                loss = loss.add(difference.square().sum());
            }
            collector.backward(loss);
        }
        adamW.step(parameters, 0.01f * (step + 1));
    }
}
