package dev.braid.apps.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugins;
import dev.braid.fusion.data.UnreadableInputException;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A modality added from outside Braid's sources ({@link TabularModality}, {@link TabularEncoder})
 * trains with text through Braid's own manifest reader, loop, model directory and predictor. The
 * label needs both: the colour named in the text and the sign of the first number.
 */
class TabularModalityTest {

    @TempDir static Path dir;
    static Path data;
    static TrainingRun.Result trained;

    @BeforeAll
    static void registerAndTrain() throws IOException {
        ModalityPlugins.register(new TabularModality());
        data = dir.resolve("colours");
        Files.createDirectories(data);
        Random random = new Random(7);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String colour = random.nextBoolean() ? "red" : "blue";
            boolean up = random.nextBoolean();
            float first = (up ? 1 : -1) * (0.5f + random.nextFloat());
            String split = i < 320 ? "train" : i < 360 ? "val" : "test";
            String tabular =
                    String.format(
                            Locale.ROOT,
                            "[%.3f, %.3f, %.3f, %.3f]",
                            first,
                            random.nextGaussian(),
                            random.nextGaussian(),
                            random.nextGaussian());
            rows.add(
                    "{\"id\": \"r"
                            + i
                            + "\", \"text\": \"the "
                            + colour
                            + " one please\", \"tabular\": "
                            + tabular
                            + ", \"label\": \""
                            + colour
                            + (up ? "-up" : "-down")
                            + "\", \"split\": \""
                            + split
                            + "\"}");
        }
        Files.write(data.resolve("manifest.jsonl"), rows);
        String yaml =
                "name: colours\n"
                        + "data: [{path: '"
                        + data
                        + "', weight: 1.0}]\n"
                        + "features: {textMaxLength: 16, vocabularySize: 300, cache: false}\n"
                        + "model:\n"
                        + "  modalities: [TEXT, TABULAR]\n"
                        + "  width: 32\n"
                        + "  fusion: {kind: LATENT, width: 32, heads: 2, layers: 1, latents: 4,"
                        + " dropout: 0.0}\n"
                        + "training: {epochs: 8, batchSize: 16, accumulation: 2, learningRate:"
                        + " 0.003, modalityDropout: 0.0, earlyStoppingMetric: label/accuracy}\n"
                        + "output: '"
                        + dir.resolve("run")
                        + "'\n";
        trained = new TrainingRun(RunConfig.parse(yaml, List.of(), "colours.yaml")).run(List.of());
    }

    @Test
    void textAndTabularTogetherLearnWhatNeitherCanAlone() {
        // either modality alone can be right at most half the time
        double accuracy = trained.test().metric("label/accuracy");
        assertTrue(accuracy >= 0.9, "test accuracy " + accuracy);
    }

    @Test
    void theSavedModelNamesItsPluginAndPredictsFromRawBytes() throws IOException {
        String manifest = Files.readString(trained.modelDir().resolve(ModelDirectory.MANIFEST));
        assertTrue(manifest.contains(TabularModality.class.getName()), manifest);
        try (FusionPredictor predictor = FusionPredictor.load(trained.modelDir())) {
            assertEquals(List.of(Modality.TEXT, TabularModality.TABULAR), predictor.modalities());
            String label =
                    predictor
                            .predict(
                                    Map.of(
                                            Modality.TEXT,
                                            bytes("the red one please"),
                                            Modality.valueOf("tabular"),
                                            bytes("[1.2, 0, 0, 0]")))
                            .heads()
                            .get("label")
                            .label();
            assertEquals("red-up", label);
            UnreadableInputException bad =
                    assertThrows(
                            UnreadableInputException.class,
                            () ->
                                    predictor.predict(
                                            Map.of(TabularModality.TABULAR, bytes("[1, 2]"))));
            assertEquals(TabularModality.TABULAR, bad.modality());
            assertTrue(bad.getMessage().contains("4 numbers"), bad.getMessage());
        }
    }

    @Test
    void aModelWhosePluginIsMissingIsRefusedNamingTheClass() throws IOException {
        Path copy =
                MovedModel.withoutPlugin(
                        trained.modelDir(),
                        dir.resolve("moved-model"),
                        TabularModality.class,
                        "com.example.GoneModality");
        ModelDirectory description = ModelDirectory.read(copy);
        try (NDManager manager = NDManager.newBaseManager()) {
            IOException e =
                    assertThrows(IOException.class, () -> description.loadModel(copy, manager));
            assertTrue(e.getMessage().contains("com.example.GoneModality"), e.getMessage());
        }
    }

    @Test
    void aBadValueInTheManifestNamesTheLineAndTheModality() throws IOException {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(
                broken.resolve("manifest.jsonl"),
                "{\"id\": \"a\", \"tabular\": [1, 2], \"label\": \"x\", \"split\": \"train\"}\n");
        var dataset = dev.braid.fusion.data.Manifest.read(broken);
        var entry = dataset.entries().get(0);
        var extractor =
                dev.braid.fusion.data.FeatureExtractor.of(
                        dev.braid.text.tokenize.ByteLevelBpeTokenizer.bytesOnly(),
                        dev.braid.fusion.data.FeatureSettings.defaults());
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> extractor.extract(entry, 0));
        assertTrue(e.getMessage().contains("manifest.jsonl:1"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("tabular"), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
