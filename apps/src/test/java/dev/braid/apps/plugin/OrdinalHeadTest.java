package dev.braid.apps.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.data.HeadKindPlugins;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head kind added from outside Braid's sources ({@link OrdinalHead}) trains through Braid's own
 * manifest reader, loop, evaluator, model directory and predictor, declared in the run
 * configuration ({@code model.heads}). The rank is said by one word of the text.
 */
class OrdinalHeadTest {

    private static final List<String> WORDS = List.of("fine", "slow", "broken", "burning");
    private static final List<String> THINGS = List.of("printer", "laptop", "phone", "router");

    @TempDir static Path dir;
    static TrainingRun.Result trained;

    @BeforeAll
    static void registerAndTrain() throws IOException {
        HeadKindPlugins.register(new OrdinalHead());
        Path data = dir.resolve("tickets");
        Files.createDirectories(data);
        Random random = new Random(11);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int rank = random.nextInt(WORDS.size());
            String split = i < 180 ? "train" : i < 210 ? "val" : "test";
            rows.add(
                    "{\"id\": \"t"
                            + i
                            + "\", \"text\": \"my "
                            + THINGS.get(random.nextInt(THINGS.size()))
                            + " is "
                            + WORDS.get(rank)
                            + "\", \"label\": {\"severity\": "
                            + rank
                            + "}, \"split\": \""
                            + split
                            + "\"}");
        }
        Files.write(data.resolve("manifest.jsonl"), rows);
        String yaml =
                "name: tickets\n"
                        + "data: [{path: '"
                        + data
                        + "', weight: 1.0}]\n"
                        + "features: {textMaxLength: 8, vocabularySize: 300, cache: false}\n"
                        + "model:\n"
                        + "  modalities: [TEXT]\n"
                        + "  width: 32\n"
                        + "  heads: {severity: ORDINAL}\n"
                        + "  fusion: {kind: LATENT, width: 32, heads: 2, layers: 1, latents: 4,"
                        + " dropout: 0.0}\n"
                        + "training: {epochs: 8, batchSize: 16, learningRate: 0.003,"
                        + " modalityDropout: 0.0, earlyStoppingMetric: severity/accuracy}\n"
                        + "output: '"
                        + dir.resolve("run")
                        + "'\n";
        trained = new TrainingRun(RunConfig.parse(yaml, List.of(), "tickets.yaml")).run(List.of());
    }

    @Test
    void theOrdinalHeadLearnsTheRank() {
        // chance is 1 in 4
        double accuracy = trained.test().metric("severity/accuracy");
        assertTrue(accuracy >= 0.8, "test accuracy " + accuracy);
        assertTrue(
                trained.test().metric("severity/mae") < 0.3, trained.test().metrics().toString());
    }

    @Test
    void theSavedModelNamesItsPluginAndPredictsARank() throws IOException {
        String manifest = Files.readString(trained.modelDir().resolve(ModelDirectory.MANIFEST));
        assertTrue(manifest.contains(OrdinalHead.class.getName()), manifest);
        try (FusionPredictor predictor = FusionPredictor.load(trained.modelDir())) {
            assertEquals(OrdinalHead.ORDINAL, predictor.schema().head("severity").kind());
            Prediction.HeadPrediction severity =
                    predictor.predict("my phone is burning", null, null).heads().get("severity");
            assertEquals("3", severity.label());
            assertEquals(3.0, severity.value());
            assertEquals(4, severity.scores().size());
        }
    }

    @Test
    void aModelWhoseHeadPluginIsMissingIsRefusedNamingTheClass() throws IOException {
        Path copy =
                MovedModel.withoutPlugin(
                        trained.modelDir(),
                        dir.resolve("moved-model"),
                        OrdinalHead.class,
                        "com.example.GoneHead");
        IOException e = assertThrows(IOException.class, () -> FusionPredictor.load(copy));
        assertTrue(e.getMessage().contains("com.example.GoneHead"), e.getMessage());
    }

    @Test
    void anUnknownHeadKindInTheRunConfigurationNamesTheField() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RunConfig.parse(
                                        "model: {heads: {severity: RANKED}}", List.of(), "x.yaml"));
        assertTrue(e.getMessage().contains("model.heads"), e.getMessage());
        assertTrue(e.getMessage().contains("RANKED"), e.getMessage());
    }
}
