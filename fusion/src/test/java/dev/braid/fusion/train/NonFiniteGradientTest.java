package dev.braid.fusion.train;

import static dev.braid.fusion.train.TestParameters.parameter;
import static dev.braid.fusion.train.TestParameters.setGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.tensor.NonFiniteGradientException;
import dev.braid.tensor.Scalars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NonFiniteGradientTest {

    @Test
    void theExceptionNamesTheStepAndTheFirstParameterThatIsNotFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter a = parameter(manager, "a", new float[] {1, 2}, new Shape(2));
            Parameter b = parameter(manager, "b", new float[] {1, 2}, new Shape(2));
            Parameter c = parameter(manager, "c", new float[] {1, 2}, new Shape(2));
            List<Parameter> all = List.of(a, b, c);
            setGradients(
                    manager,
                    all,
                    new float[] {0.5f, 1f},
                    new float[] {1f, Float.POSITIVE_INFINITY},
                    new float[] {Float.NaN, 0f});
            NonFiniteGradientException e = NonFiniteGradientException.at(7, 0.25f, all);
            assertEquals(7, e.step());
            assertEquals("b", e.parameter());
            assertTrue(
                    e.getMessage().startsWith("step 7: the gradient of parameter b is not finite"),
                    e.getMessage());
        }
    }

    @Test
    void aRunWhoseGradientIsNotFiniteStopsAtThatStepWithoutApplyingIt(@TempDir Path dir)
            throws Exception {
        TinyRun run = TinyRun.create(dir.resolve("data"), 32, 16, 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = TinyRun.model(run.modelConfig(FusionKind.LATENT), manager, 1);
            Parameter poisoned = model.getParameters().valueAt(0);
            Scalars.muli(poisoned.getArray(), Float.NaN);
            TrainConfig config = TrainConfig.builder().epochs(1).batchSize(16).build();
            try (var train = run.loader(Split.TRAIN, 16, 1);
                    var val = run.loader(Split.VAL, 16, 1)) {
                NonFiniteGradientException e =
                        assertThrows(
                                NonFiniteGradientException.class,
                                () ->
                                        new FusionTrainer(config)
                                                .fit(
                                                        model,
                                                        manager,
                                                        train,
                                                        val,
                                                        run.schema,
                                                        dir.resolve("run"),
                                                        List.of()));
                assertEquals(0, e.step());
                assertTrue(e.getMessage().contains("is not finite"), e.getMessage());
            }
            assertTrue(
                    Files.readAllLines(dir.resolve("run/log.jsonl")).stream()
                            .noneMatch(l -> l.contains("\"type\":\"step\"")),
                    "no step was logged as taken");
        }
    }
}
