package dev.braid.fusion.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.UnreadableInputException;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.fusion.train.Evaluator;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionPredictorTest {

    @TempDir static Path dir;
    static TinyRun run;
    static Path modelDir;
    static double evaluatorAccuracy;
    static FusionPredictor predictor;

    @BeforeAll
    static void trainAndSave() throws IOException {
        run = TinyRun.create(dir.resolve("data"), 256, 64, 64);
        modelDir = dir.resolve("model");
        TrainConfig config =
                TrainConfig.builder().epochs(3).batchSize(32).modalityDropout(0.2f).build();
        try (NDManager manager = NDManager.newBaseManager();
                BatchLoader train = run.loader(Split.TRAIN, 32, 42);
                BatchLoader val = run.loader(Split.VAL, 32, 42);
                BatchLoader test = run.loader(Split.TEST, 16, 42)) {
            FusionModel model = TinyRun.model(run.modelConfig(FusionKind.PAIRWISE), manager, 1);
            new FusionTrainer(config)
                    .fit(model, manager, train, val, run.schema, dir.resolve("run"), List.of());
            evaluatorAccuracy =
                    Evaluator.evaluate(model, manager, test.epoch(0, 0), run.schema, Set.of())
                            .metric("label/accuracy");
            new ModelDirectory(
                            model.config(),
                            run.schema,
                            run.settings,
                            JsonNodeFactory.instance.objectNode().put("seed", 42))
                    .save(modelDir, model, run.tokenizer);
        }
        predictor = FusionPredictor.load(modelDir);
    }

    @AfterAll
    static void close() {
        predictor.close();
    }

    private static byte[] bytes(ManifestEntry e, Modality m) {
        try {
            return Files.readAllBytes(Path.of(e.inputs().get(m)));
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Prediction predict(ManifestEntry e) {
        return predictor.predict(
                e.inputs().get(Modality.TEXT), bytes(e, Modality.IMAGE), bytes(e, Modality.AUDIO));
    }

    @Test
    void predictingSampleBySampleMatchesBatchEvaluation() {
        List<ManifestEntry> test = run.dataset.entries(Split.TEST);
        int correct = 0;
        for (ManifestEntry e : test) {
            Prediction p = predict(e);
            String truth =
                    ((dev.braid.fusion.data.Label.ClassLabel) e.labels().get("label")).name();
            correct += p.heads().get("label").label().equals(truth) ? 1 : 0;
            double sum =
                    p.heads().get("label").scores().stream()
                            .mapToDouble(Prediction.Scored::probability)
                            .sum();
            assertEquals(1.0, sum, 1e-5);
        }
        assertEquals(evaluatorAccuracy, correct / (double) test.size(), 1e-9);
    }

    @Test
    void anySubsetOfModalitiesGivesAnAnswer() {
        ManifestEntry e = run.dataset.entries(Split.TEST).get(0);
        String text = e.inputs().get(Modality.TEXT);
        for (Prediction p :
                List.of(
                        predictor.predict(text, null, null),
                        predictor.predict(null, bytes(e, Modality.IMAGE), null),
                        predictor.predict(null, null, bytes(e, Modality.AUDIO)),
                        predictor.predict(text, null, bytes(e, Modality.AUDIO)))) {
            assertEquals(4, p.heads().get("label").scores().size());
            assertTrue(run.schema.head("label").classes().contains(p.heads().get("label").label()));
        }
    }

    @Test
    void inputsByModalityNameGiveTheSameAnswerAsTheThreeArgumentCall() {
        ManifestEntry e = run.dataset.entries(Split.TEST).get(1);
        String text = e.inputs().get(Modality.TEXT);
        Prediction byName =
                predictor.predict(
                        Map.of(
                                Modality.valueOf("TEXT"),
                                text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                Modality.valueOf("AUDIO"),
                                bytes(e, Modality.AUDIO)));
        Prediction byPosition = predictor.predict(text, null, bytes(e, Modality.AUDIO));
        assertEquals(byPosition, byName);
        UnreadableInputException bad =
                assertThrows(
                        UnreadableInputException.class,
                        () ->
                                predictor.predict(
                                        Map.of(Modality.TEXT, new byte[] {'o', (byte) 0xC3})));
        assertEquals(Modality.TEXT, bad.modality());
    }

    @Test
    void badInputsNameTheModalityAndThePredictorStaysUsable() {
        UnreadableInputException e =
                assertThrows(
                        UnreadableInputException.class,
                        () -> predictor.predict("hello", "not an image".getBytes(), null));
        assertTrue(e.getMessage().startsWith("image: "), e.getMessage());
        assertEquals(Modality.IMAGE, e.modality());
        assertEquals("not a PNG, JPEG, BMP or WebP file", e.reason(), "without the source's name");
        e =
                assertThrows(
                        UnreadableInputException.class,
                        () -> predictor.predict(null, null, "ID3 not a wav".getBytes()));
        assertTrue(e.getMessage().startsWith("audio: "), e.getMessage());
        assertEquals(Modality.AUDIO, e.modality());
        assertEquals(e.getMessage(), "audio: " + e.reason());
        assertThrows(IllegalArgumentException.class, () -> predictor.predict(null, null, null));
        ManifestEntry ok = run.dataset.entries(Split.TEST).get(1);
        assertEquals(predict(ok), predict(ok), "still usable and deterministic");
    }

    @Test
    void manyThreadsAtOnceGiveTheSequentialAnswers() throws Exception {
        List<ManifestEntry> test = run.dataset.entries(Split.TEST).subList(0, 24);
        List<Prediction> sequential = new ArrayList<>();
        for (ManifestEntry e : test) {
            sequential.add(predict(e));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Prediction>> futures = new ArrayList<>();
            for (ManifestEntry e : test) {
                futures.add(pool.submit(() -> predict(e)));
            }
            for (int i = 0; i < test.size(); i++) {
                assertEquals(sequential.get(i), futures.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void missingModelFilesAreNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> FusionPredictor.load(empty));
        assertTrue(e.getMessage().contains("model.json is missing"), e.getMessage());
    }

    @Test
    void aBatchGivesEachSampleItsOwnAnswerAndEmbedding() {
        List<ManifestEntry> test = run.dataset.entries(Split.TEST).subList(0, 6);
        List<dev.braid.fusion.data.SampleFeatures> features = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            ManifestEntry e = test.get(i);
            java.util.Map<Modality, byte[]> inputs = new java.util.TreeMap<>();
            inputs.put(Modality.IMAGE, bytes(e, Modality.IMAGE));
            if (i % 2 == 0) { // some without text or audio: the batch mixes what samples have
                inputs.put(Modality.AUDIO, bytes(e, Modality.AUDIO));
            } else {
                inputs.put(
                        Modality.TEXT,
                        e.inputs()
                                .get(Modality.TEXT)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            features.add(predictor.features(inputs));
        }
        List<Prediction> batch = predictor.predict(features);
        List<Embedding> embedded = predictor.embed(features);
        for (int i = 0; i < features.size(); i++) {
            Prediction alone = predictor.predict(List.of(features.get(i))).get(0);
            List<Prediction.Scored> a = alone.heads().get("label").scores();
            List<Prediction.Scored> b = batch.get(i).heads().get("label").scores();
            for (int k = 0; k < a.size(); k++) {
                assertEquals(a.get(k).probability(), b.get(k).probability(), 1e-5);
            }
            Embedding one = predictor.embed(List.of(features.get(i))).get(0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    one.fused(), embedded.get(i).fused(), 1e-5f);
            assertEquals(features.get(i).present(), embedded.get(i).modalities().keySet());
        }
    }
}
