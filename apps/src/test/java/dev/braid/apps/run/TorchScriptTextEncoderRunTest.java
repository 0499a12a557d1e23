package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.braid.apps.ReadyConfigs;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.TorchScriptTextEncoder;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs whose text encoder is a TorchScript module (fusion's test module, {@code
 * make_tiny_encoder.py}): frozen it stays as the file has it, fine-tuned it moves, and the saved
 * model predicts what the run measured.
 */
class TorchScriptTextEncoderRunTest {

    @TempDir static Path dir;
    static Path root = ShippedDatasetTest.repoRoot();
    static Path support = root.resolve("data/support");
    static Path module = root.resolve("fusion/src/test/resources/torchscript/tiny-encoder.pt");
    static float[] original;

    @BeforeAll
    static void readTheFile() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            original =
                    weights(
                            new TorchScriptTextEncoder(ModelConfig.TorchScriptText.of(module, 64))
                                    .module());
        }
    }

    static float[] weights(Block block) {
        List<float[]> parts = new ArrayList<>();
        block.getParameters().forEach(p -> parts.add(p.getValue().getArray().toFloatArray()));
        float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static TrainingRun.Result train(String name, String... more) throws Exception {
        List<String> overrides =
                new ArrayList<>(
                        List.of(
                                "data=[{path: '" + support + "', weight: 1.0}]",
                                "model.textEncoder='" + module + "'",
                                "training.epochs=1",
                                "training.maxSteps=6",
                                "output='" + dir.resolve(name) + "'"));
        overrides.addAll(List.of(more));
        return new TrainingRun(ReadyConfigs.load("support-text-only", overrides)).run(List.of());
    }

    static float[] savedModuleWeights(TrainingRun.Result result) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model =
                    ModelDirectory.read(result.modelDir()).loadModel(result.modelDir(), manager);
            return weights(((TorchScriptTextEncoder) model.encoder(Modality.TEXT)).module());
        }
    }

    @Test
    void frozenTheModuleKeepsTheWeightsOfItsFile() throws Exception {
        TrainingRun.Result result = train("frozen", "training.frozenEncoders=[TEXT]");
        assertArrayEquals(original, savedModuleWeights(result), 0f);
    }

    @Test
    void fineTunedTheModuleMovesAndTheSavedModelPredictsWhatTheRunMeasured() throws Exception {
        TrainingRun.Result result = train("tuned");
        float[] tuned = savedModuleWeights(result);
        boolean moved = false;
        for (int i = 0; i < tuned.length && !moved; i++) {
            moved = tuned[i] != original[i];
        }
        assertTrue(moved, "fine-tuning moves the module's weights");
        int right = 0;
        List<ManifestEntry> test = Manifest.read(support).entries(Split.TEST);
        try (FusionPredictor predictor = FusionPredictor.load(result.modelDir())) {
            for (ManifestEntry e : test) {
                String label =
                        predictor
                                .predict(e.inputs().get(Modality.TEXT), null, null)
                                .heads()
                                .get("intent")
                                .label();
                if (label.equals(((Label.ClassLabel) e.labels().get("intent")).name())) {
                    right++;
                }
            }
        }
        assertEquals(result.test().metric("intent/accuracy"), right / (double) test.size(), 1e-9);
    }

    @Test
    void moreThanTwoMicroBatchesAreRefusedForAModuleThatTrains() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> train("three", "training.accumulation=3"));
        assertTrue(e.getMessage().contains("training.accumulation"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
