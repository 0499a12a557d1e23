package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.ManifestException;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.model.ReplyHeadConfig;
import dev.braid.fusion.model.ReplyMemory;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.fusion.predict.ReplyFiles;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A generation head is a head of the model, trained by {@link FusionTrainer}: the tiny tri-modal
 * data, each row labelled with a class and a reply that names it ({@code "reply 3 red"}: the class
 * is only in the inputs taken together, so the decoder must read its memory).
 */
class GenerationHeadTest {

    @TempDir static Path dir;

    private static Dataset dataset;
    private static Tokenizer tokenizer;
    private static TinyRun run;
    private static TaskSchema both;

    @BeforeAll
    static void data() throws IOException {
        Path data = dir.resolve("data");
        run = TinyRun.create(data, 48, 8, 8);
        withReplies(data, "reply %s red");
        dataset = Manifest.read(data);
        List<String> corpus = new ArrayList<>();
        for (ManifestEntry e : dataset.entries(Split.TRAIN)) {
            corpus.add(e.inputs().get(Modality.TEXT));
            corpus.add(text(e));
        }
        tokenizer = new BpeTrainer(new BpeTrainer.Config(300, 2, true)).train(corpus);
        both = TaskSchema.infer(List.of(dataset), Map.of("reply", HeadKind.GENERATION));
    }

    /** Gives every row of {@code dir}'s manifest a reply beside its class: {@code format} of it. */
    private static void withReplies(Path dir, String format) throws IOException {
        Path manifest = dir.resolve("manifest.jsonl");
        Pattern label = Pattern.compile("\"label\": \"c(\\d)\"");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            Matcher m = label.matcher(line);
            assertTrue(m.find(), line);
            String reply = String.format(format, m.group(1));
            lines.add(
                    m.replaceFirst(
                            "\"label\": {\"label\": \"c$1\", \"reply\": \"" + reply + "\"}"));
        }
        Files.write(manifest, lines, StandardCharsets.UTF_8);
    }

    private static String text(ManifestEntry e) {
        return ((dev.braid.fusion.data.Label.ClassLabel) e.labels().get("reply")).name();
    }

    private static TaskSchema only(String... heads) {
        TreeMap<String, HeadSpec> kept = new TreeMap<>();
        for (String h : heads) {
            kept.put(h, both.head(h));
        }
        return new TaskSchema(kept);
    }

    private static ModelConfig modelConfig(TaskSchema schema) {
        return modelConfig(schema, false);
    }

    private static DecoderConfig decoder(boolean copy) {
        return DecoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                .crossAttention(CrossAttention.EVERY_LAYER)
                .copyFromMemory(copy)
                .maxLength(12)
                .build();
    }

    /** A tiny tri-modal model with {@code schema}'s heads; its reply head may copy. */
    private static ModelConfig modelConfig(TaskSchema schema, boolean copy) {
        return modelConfig(schema, copy, ReplyMemory.ENCODER_TOKENS);
    }

    /** As above, the reply head reading {@code memory}. */
    private static ModelConfig modelConfig(TaskSchema schema, boolean copy, ReplyMemory memory) {
        ModelConfig classes = run.modelConfig(FusionKind.PAIRWISE);
        DecoderConfig decoder = decoder(copy);
        return new ModelConfig(
                TextEncoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                        .maxLength(16)
                        .build(),
                classes.image(),
                classes.audio(),
                classes.fusion(),
                List.copyOf(schema.heads().values()),
                List.of(),
                null,
                null,
                new TreeMap<>(
                        Map.of(
                                "reply",
                                new ReplyHeadConfig(decoder, classes.modalities(), memory))));
    }

    private static BatchLoader loader(Split split, TaskSchema schema, int batchSize, long seed) {
        return new BatchLoader(
                SampleSource.of(
                        dataset.entries(split),
                        split == Split.TRAIN ? Order.SHUFFLED : Order.SEQUENTIAL),
                FeatureExtractor.of(tokenizer, run.settings),
                schema,
                new BatchLoaderConfig(batchSize, 1, 2, seed));
    }

    private static TrainConfig.Builder config() {
        return TrainConfig.builder()
                .epochs(6)
                .batchSize(8)
                .learningRate(3e-3f)
                .labelSmoothing(0.1f)
                .modalityDropout(0f)
                .earlyStoppingMetric(EarlyStopping.Metric.of("loss"));
    }

    /** What a run gave: its step losses, and the model it trained. */
    private record Trained(List<Float> losses, FusionModel model, FusionTrainer.Result result) {}

    private static Trained train(
            TaskSchema schema, TrainConfig config, Path runDir, NDManager manager, int threads)
            throws IOException {
        return train(modelConfig(schema), schema, config, runDir, manager, threads);
    }

    private static Trained train(
            ModelConfig modelConfig,
            TaskSchema schema,
            TrainConfig config,
            Path runDir,
            NDManager manager,
            int threads)
            throws IOException {
        FusionModel model = TinyRun.model(modelConfig, manager, 3);
        List<Float> losses = new ArrayList<>();
        TrainingListener listener =
                new TrainingListener() {
                    @Override
                    public void onStep(StepEvent event) {
                        losses.add((float) event.loss());
                    }
                };
        try (BatchLoader train = loader(Split.TRAIN, schema, config.batchSize(), config.seed());
                BatchLoader val = loader(Split.VAL, schema, 8, config.seed())) {
            FusionTrainer.Result result =
                    new FusionTrainer(config, threads)
                            .fit(model, manager, train, val, schema, runDir, List.of(listener));
            return new Trained(losses, model, result);
        }
    }

    private static float mean(List<Float> values, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += values.get(i);
        }
        return sum / (to - from);
    }

    @Test
    void aGenerationHeadAloneLearnsItsRepliesAndIsMeasured() throws IOException {
        TaskSchema schema = only("reply");
        try (NDManager manager = NDManager.newBaseManager()) {
            Trained t = train(schema, config().build(), dir.resolve("alone"), manager, 1);
            int n = t.losses().size();
            float first = mean(t.losses(), 0, 3);
            float last = mean(t.losses(), n - 3, n);
            assertTrue(last < 0.5f * first, "reply loss " + first + " -> " + last);
            Map<String, Double> metrics = t.result().best().metrics();
            double tokenLoss = metrics.get("reply/token_loss");
            assertTrue(tokenLoss < 1.5, "validation token loss " + tokenLoss);
            assertEquals(Math.exp(tokenLoss), metrics.get("reply/perplexity"), 1e-9);
            assertEquals(tokenLoss, metrics.get("loss"), 1e-5, "the loss is the reply's alone");

            try (BatchLoader test = loader(Split.TEST, schema, 8, 1)) {
                Evaluation scored =
                        Evaluator.evaluateWithTexts(
                                t.model(), manager, test.epoch(0, 0), schema, Set.of(), tokenizer);
                double chrF = scored.metric("reply/chrf");
                assertTrue(chrF > 40 && chrF <= 100, "chrF " + chrF);
                assertTrue(scored.metric("reply/bleu") >= 0);
                assertFalse(
                        Evaluator.evaluate(t.model(), manager, test.epoch(0, 0), schema, Set.of())
                                .metrics()
                                .containsKey("reply/chrf"),
                        "texts are written only when asked");
            }
        }
    }

    @Test
    void aGenerationHeadTrainsBesideAClassificationHead() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Trained t = train(both, config().build(), dir.resolve("multi"), manager, 1);
            int n = t.losses().size();
            assertTrue(mean(t.losses(), n - 3, n) < 0.6f * mean(t.losses(), 0, 3), "" + t.losses());
            Map<String, Double> metrics = t.result().best().metrics();
            assertTrue(metrics.containsKey("label/accuracy"), metrics.toString());
            assertTrue(
                    metrics.get("loss") > metrics.get("reply/token_loss"),
                    "the loss sums both heads': " + metrics);
        }
    }

    /**
     * A run whose schema leaves the generation head out (retraining the routing from agents'
     * corrections) trains the classification head and leaves every weight of the reply head as it
     * was: not updated, not decayed.
     */
    @Test
    void aGenerationHeadTheRunDoesNotTeachKeepsItsWeights() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = TinyRun.model(modelConfig(both), manager, 3);
            ReplyHead head = model.replyHeads().get("reply");
            List<float[]> before = new ArrayList<>();
            head.getParameters().values().forEach(p -> before.add(p.getArray().toFloatArray()));
            float[] fusion = model.fusion().getParameters().valueAt(0).getArray().toFloatArray();
            TaskSchema routing = only("label");
            try (BatchLoader train = loader(Split.TRAIN, routing, 8, 5);
                    BatchLoader val = loader(Split.VAL, routing, 8, 5)) {
                new FusionTrainer(config().epochs(1).weightDecay(0.1f).build(), 1)
                        .fit(
                                model,
                                manager,
                                train,
                                val,
                                routing,
                                dir.resolve("routing"),
                                List.of());
            }
            List<float[]> after = new ArrayList<>();
            head.getParameters().values().forEach(p -> after.add(p.getArray().toFloatArray()));
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "reply head parameter " + i);
            }
            assertFalse(
                    java.util.Arrays.equals(
                            fusion,
                            model.fusion().getParameters().valueAt(0).getArray().toFloatArray()),
                    "the rest of the model trained");
        }
    }

    @Test
    void theSameSeedGivesTheSameLossesOnOneThreadOrTwo() throws IOException {
        TrainConfig config = config().epochs(2).batchSize(4).accumulation(2).build();
        List<List<Float>> losses = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        for (int threads : new int[] {1, 2, 2}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Trained t =
                        train(
                                both,
                                config,
                                dir.resolve("seeded-" + losses.size()),
                                manager,
                                threads);
                losses.add(t.losses());
                weights.add(FusionTrainerTest.flatten(t.model()));
            }
        }
        for (int i = 1; i < losses.size(); i++) {
            assertEquals(losses.get(0), losses.get(i), "run " + i + "'s losses");
            assertArrayEquals(weights.get(0), weights.get(i), 0f, "run " + i + "'s weights");
        }
    }

    @Test
    void aStoppedRunResumesFromItsCheckpointAndASavedModelWritesTheSameReply() throws IOException {
        TrainConfig straight = config().epochs(2).build();
        List<Float> expected;
        float[] weights;
        try (NDManager manager = NDManager.newBaseManager()) {
            Trained t = train(both, straight, dir.resolve("straight"), manager, 1);
            expected = t.losses();
            weights = FusionTrainerTest.flatten(t.model());
        }
        Path runDir = dir.resolve("resumed");
        try (NDManager manager = NDManager.newBaseManager()) {
            train(both, config().epochs(2).maxSteps(4).build(), runDir, manager, 1);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Trained t = train(both, straight, runDir, manager, 1);
            assertEquals(expected.subList(4, expected.size()), t.losses(), "steps 5 on");
            assertArrayEquals(weights, FusionTrainerTest.flatten(t.model()), 0f);

            Path saved = dir.resolve("saved");
            new ModelDirectory(
                            t.model().config(),
                            both,
                            run.settings,
                            JsonNodeFactory.instance.objectNode())
                    .save(saved, t.model(), tokenizer);
            assertFalse(ReplyFiles.exists(saved), "the reply head is in model.params");
            ManifestEntry e = dataset.entries(Split.TEST).get(0);
            String written =
                    ReplyDecoding.generate(
                                    t.model(),
                                    t.model().replyHeads().get("reply"),
                                    tokenizer,
                                    batch(List.of(e)),
                                    greedy(),
                                    manager,
                                    null)
                            .replies()
                            .get(0)
                            .text();
            try (FusionPredictor predictor = FusionPredictor.load(saved)) {
                assertTrue(predictor.generates());
                FusionPredictor.Reply reply = predictor.reply(raw(e), greedy(), null);
                assertEquals(written, reply.reply().text());
                assertTrue(reply.prediction().heads().containsKey("label"));
            }
        }
    }

    private static Batch batch(List<ManifestEntry> entries) {
        FeatureExtractor extractor = FeatureExtractor.of(tokenizer, run.settings);
        List<dev.braid.fusion.data.Sample> samples = new ArrayList<>();
        List<dev.braid.fusion.data.SampleFeatures> features = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            samples.add(new dev.braid.fusion.data.Sample(i, entries.get(i)));
            features.add(extractor.extract(entries.get(i), i));
        }
        return dev.braid.fusion.data.Collator.of(both, extractor).collate(samples, features);
    }

    /**
     * Over the encoders' tokens with and without copying from the message's tokens, and over the
     * fusion's output.
     */
    @ParameterizedTest(name = "copy {0}, memory {1}")
    @CsvSource({"false, ENCODER_TOKENS", "true, ENCODER_TOKENS", "false, FUSION_OUTPUT"})
    void theCachedReplyEqualsAFullRecompute(boolean copy, ReplyMemory memory) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Trained t =
                    train(
                            modelConfig(both, copy, memory),
                            both,
                            config().epochs(2).build(),
                            dir.resolve("copy-" + copy + "-" + memory),
                            manager,
                            1);
            assertEquals(memory, t.model().replyHeads().get("reply").source());
            ReplyHead head = t.model().replyHeads().get("reply");
            Batch batch = batch(dataset.entries(Split.TEST).subList(0, 6));
            ReplyDecoding.Result cached =
                    ReplyDecoding.generate(
                            t.model(), head, tokenizer, batch, greedy(), manager, null);
            List<int[]> recomputed =
                    ReplyDecoding.greedyWithoutCache(
                            t.model(), head, tokenizer.specialTokens(), batch, 11, manager);
            int sep = tokenizer.specialTokens().sep();
            for (int b = 0; b < batch.size(); b++) {
                int[] tokens = cached.replies().get(b).tokens();
                int[] withoutSep =
                        tokens.length > 0 && tokens[tokens.length - 1] == sep
                                ? java.util.Arrays.copyOf(tokens, tokens.length - 1)
                                : tokens;
                assertArrayEquals(recomputed.get(b), withoutSep, "row " + b);
            }
        }
    }

    @Test
    void aModelDirectoryOfAnEarlierBraidKeepsItsReplyHeadBesideTheModel() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TaskSchema classes = only("label");
            ModelConfig config = run.modelConfig(FusionKind.PAIRWISE);
            config =
                    new ModelConfig(
                            TextEncoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                                    .maxLength(16)
                                    .build(),
                            config.image(),
                            config.audio(),
                            config.fusion(),
                            config.heads());
            FusionModel model = TinyRun.model(config, manager, 3);
            ReplyHead head = new ReplyHead(decoder(true), config.modalities());
            head.initialize(
                    manager,
                    ai.djl.ndarray.types.DataType.FLOAT32,
                    head.initializationShapes(
                            model.encoderShapes(ModelDirectory.inputShapes(config, run.settings))));
            Path saved = dir.resolve("earlier");
            new ModelDirectory(config, classes, run.settings, JsonNodeFactory.instance.objectNode())
                    .save(saved, model, tokenizer);
            ReplyFiles.save(saved, head);
            ManifestEntry e = dataset.entries(Split.TEST).get(1);
            String written =
                    ReplyDecoding.generate(
                                    model,
                                    head,
                                    tokenizer,
                                    batch(List.of(e)),
                                    greedy(),
                                    manager,
                                    null)
                            .replies()
                            .get(0)
                            .text();
            try (FusionPredictor predictor = FusionPredictor.load(saved)) {
                assertTrue(predictor.generates());
                assertEquals(written, predictor.reply(raw(e), greedy(), null).reply().text());
            }
        }
    }

    private static GenerationConfig greedy() {
        return GenerationConfig.builder()
                .stopTokens(tokenizer.specialTokens().sep())
                .maxNewTokens(11)
                .build();
    }

    private static Map<Modality, byte[]> raw(ManifestEntry e) throws IOException {
        Map<Modality, byte[]> inputs = new TreeMap<>();
        inputs.put(Modality.TEXT, e.inputs().get(Modality.TEXT).getBytes(StandardCharsets.UTF_8));
        inputs.put(Modality.IMAGE, Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE))));
        inputs.put(Modality.AUDIO, Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO))));
        return inputs;
    }

    @Test
    void aBlankOrNonTextReplyNamesItsLineAndHead() throws IOException {
        Path blank = dir.resolve("blank");
        TinyRun.create(blank, 4, 2, 2);
        withReplies(blank, "reply %s");
        Path manifest = blank.resolve("manifest.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(manifest));
        lines.set(2, lines.get(2).replaceFirst("\"reply\": \"[^\"]*\"", "\"reply\": \"  \""));
        Files.write(manifest, lines);
        ManifestException bad = assertThrows(ManifestException.class, () -> Manifest.read(blank));
        assertTrue(
                bad.getMessage().contains("manifest.jsonl:3")
                        && bad.getMessage().contains("label.reply"),
                bad.getMessage());

        lines.set(2, lines.get(2).replaceFirst("\"reply\": \"  \"", "\"reply\": 7"));
        Files.write(manifest, lines);
        Dataset numbers = Manifest.read(blank);
        ManifestException notText =
                assertThrows(
                        ManifestException.class,
                        () ->
                                TaskSchema.infer(
                                        List.of(numbers), Map.of("reply", HeadKind.GENERATION)));
        assertTrue(
                notText.getMessage().contains("manifest.jsonl:3")
                        && notText.getMessage().contains("head 'reply' (GENERATION)"),
                notText.getMessage());
    }
}
