package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.ReadyConfigs;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.TextAdapter;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose text goes through the real minilm-en ONNX model and a trainable adapter: the saved
 * model names the ONNX model, loads with {@link FusionPredictor} and predicts what the run
 * measured.
 */
class OnnxTextEncoderTest {

    @TempDir static Path dir;
    static Path support = ShippedDatasetTest.repoRoot().resolve("data/support");
    static TrainingRun.Result result;

    @BeforeAll
    static void train() throws Exception {
        RunConfig config =
                ReadyConfigs.load(
                        "support-text-only",
                        List.of(
                                "data=[{path: '" + support + "', weight: 1.0}]",
                                "model.textEncoder=minilm-en",
                                "training.epochs=1",
                                "training.maxSteps=8",
                                "output='" + dir.resolve("run") + "'"));
        result = new TrainingRun(config).run(List.of());
    }

    @Test
    void theSavedModelNamesTheOnnxModelAndItsSha256() throws Exception {
        JsonNode root =
                new ObjectMapper()
                        .readTree(result.modelDir().resolve(ModelDirectory.MANIFEST).toFile());
        JsonNode text = root.path("model").path("pretrainedText");
        assertEquals("onnx", text.path("features").path("kind").asText(), text.toString());
        JsonNode model = text.path("features").path("settings").path("models").get(0);
        assertEquals("minilm-en", model.path("name").asText());
        assertEquals(64, model.path("sha256").asText().length());
        assertEquals(384, text.path("featureWidth").asInt());
        assertFalse(
                Files.exists(result.modelDir().resolve(ModelDirectory.TOKENIZER)),
                "the ONNX model's own tokenizer is not copied: it comes with the model");
    }

    @Test
    void onlyTheAdapterIsAParameterOfTheModel() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model =
                    ModelDirectory.read(result.modelDir()).loadModel(result.modelDir(), manager);
            assertTrue(model.encoder(Modality.TEXT) instanceof TextAdapter);
            long weights =
                    model.encoder(Modality.TEXT).getParameters().values().stream()
                            .mapToLong(Parameter -> Parameter.getArray().size())
                            .sum();
            assertEquals(384 * 64 + 64 + 2 * 64, weights, "Linear 384 -> 64 and a layer norm");
        }
    }

    @Test
    void theLoadedModelPredictsWhatTheRunMeasured() throws Exception {
        List<ManifestEntry> test = Manifest.read(support).entries(Split.TEST);
        int right = 0;
        int labelled = 0;
        try (FusionPredictor predictor = FusionPredictor.load(result.modelDir())) {
            for (ManifestEntry e : test) {
                Prediction p = predictor.predict(e.inputs().get(Modality.TEXT), null, null);
                labelled++;
                String truth = ((Label.ClassLabel) e.labels().get("intent")).name();
                if (p.heads().get("intent").label().equals(truth)) {
                    right++;
                }
            }
        }
        assertEquals(400, labelled);
        assertEquals(
                result.test().metric("intent/accuracy"),
                right / (double) labelled,
                1e-9,
                "test accuracy from the predictor, one ticket at a time, against the run's");
    }
}
