package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHeadConfig;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.fusion.train.EarlyStopping;
import dev.braid.fusion.train.Evaluator;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.TrainConfig;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.encoder.TextEncoderConfig;
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

/**
 * A generation head distils into a narrower, shallower reply decoder: the tiny tri-modal data, each
 * row's reply naming its class ({@code "reply 3 red"}), as in {@code GenerationHeadTest}.
 */
class ReplyDistillationTest {

    @TempDir static Path dir;

    private static Dataset dataset;
    private static Tokenizer tokenizer;
    private static TinyRun run;
    private static TaskSchema schema;

    @BeforeAll
    static void data() throws IOException {
        Path data = dir.resolve("data");
        run = TinyRun.create(data, 48, 8, 8);
        Path manifest = data.resolve("manifest.jsonl");
        Pattern label = Pattern.compile("\"label\": \"c(\\d)\"");
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            Matcher m = label.matcher(line);
            assertTrue(m.find(), line);
            lines.add(m.replaceFirst("\"label\": {\"reply\": \"reply $1 red\"}"));
        }
        Files.write(manifest, lines, StandardCharsets.UTF_8);
        dataset = Manifest.read(data);
        List<String> corpus = new ArrayList<>();
        for (ManifestEntry e : dataset.entries(Split.TRAIN)) {
            corpus.add(e.inputs().get(Modality.TEXT));
            corpus.add(((Label.ClassLabel) e.labels().get("reply")).name());
        }
        tokenizer = new BpeTrainer(new BpeTrainer.Config(300, 2, true)).train(corpus);
        schema = TaskSchema.infer(List.of(dataset), Map.of("reply", HeadKind.GENERATION));
    }

    private static ModelConfig teacherConfig() {
        ModelConfig classes = run.modelConfig(FusionKind.PAIRWISE);
        DecoderConfig decoder =
                DecoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                        .crossAttention(CrossAttention.EVERY_LAYER)
                        .maxLength(12)
                        .build();
        return new ModelConfig(
                TextEncoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                        .maxLength(16)
                        .build(),
                classes.image(),
                classes.audio(),
                classes.fusion(),
                List.<HeadSpec>copyOf(schema.heads().values()),
                List.of(),
                null,
                null,
                new TreeMap<>(Map.of("reply", new ReplyHeadConfig(decoder, classes.modalities()))));
    }

    private static BatchLoader loader(Split split, long seed) {
        return new BatchLoader(
                SampleSource.of(
                        dataset.entries(split),
                        split == Split.TRAIN ? Order.SHUFFLED : Order.SEQUENTIAL),
                FeatureExtractor.of(tokenizer, run.settings),
                schema,
                new BatchLoaderConfig(8, 1, 2, seed));
    }

    private static TrainConfig config(int epochs) {
        return TrainConfig.builder()
                .epochs(epochs)
                .batchSize(8)
                .learningRate(3e-3f)
                .modalityDropout(0f)
                .earlyStoppingMetric(EarlyStopping.Metric.of("loss"))
                .build();
    }

    private static void fit(FusionTrainer trainer, FusionModel model, NDManager m, String name)
            throws IOException {
        try (BatchLoader train = loader(Split.TRAIN, 5);
                BatchLoader val = loader(Split.VAL, 5)) {
            trainer.fit(model, m, train, val, schema, dir.resolve(name), List.of());
        }
    }

    private static double replyLoss(FusionModel model, NDManager m) {
        try (BatchLoader val = loader(Split.VAL, 5)) {
            return Evaluator.evaluate(model, m, val.epoch(0, 0), schema, Set.of())
                    .metric("reply/token_loss");
        }
    }

    @Test
    void aNarrowerShallowerReplyDecoderLearnsFromTheTeachersTokenDistributions()
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel teacher = TinyRun.model(teacherConfig(), m, 3);
            fit(new FusionTrainer(config(6), 1), teacher, m, "teacher");

            ModelConfig studentConfig =
                    StudentConfig.shallower(StudentConfig.narrower(teacher.config(), 0.5), 0.5);
            DecoderConfig big = teacher.config().replyHeads().get("reply").decoder();
            DecoderConfig small = studentConfig.replyHeads().get("reply").decoder();
            assertEquals(big.width() / 2, small.width());
            assertEquals(big.feedForwardWidth() / 2, small.feedForwardWidth());
            assertEquals(Math.max(1, big.layers() / 2), small.layers());
            assertEquals(big.vocabularySize(), small.vocabularySize());

            FusionModel student = TinyRun.model(studentConfig, m, 4);
            TeacherInit.copy(teacher, student);
            double before = replyLoss(student, m);
            // alpha = 1: the teacher's per-token distributions alone, no reference reply's loss
            TeacherTargets targets = new TeacherTargets(teacher, studentConfig, 2f, 1f);
            fit(new FusionTrainer(config(4), 1).withLoss(targets), student, m, "student");
            double after = replyLoss(student, m);
            assertTrue(
                    after < 0.8 * before,
                    "the student's reply token loss " + before + " -> " + after);
        }
    }

    @Test
    void aStudentReplyHeadOfAnotherVocabularyIsRefusedByName() {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel teacher = TinyRun.model(teacherConfig(), m, 3);
            ModelConfig t = teacher.config();
            ReplyHeadConfig reply = t.replyHeads().get("reply");
            ModelConfig other =
                    new ModelConfig(
                            t.text(),
                            t.image(),
                            t.audio(),
                            t.fusion(),
                            t.heads(),
                            t.plugins(),
                            null,
                            null,
                            new TreeMap<>(
                                    Map.of(
                                            "reply",
                                            new ReplyHeadConfig(
                                                    reply.decoder().toBuilder()
                                                            .maxLength(8)
                                                            .build(),
                                                    reply.memory()))));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new TeacherTargets(teacher, other, 2f, 0.5f));
            assertTrue(
                    e.getMessage().startsWith("the student's reply head 'reply'"), e.getMessage());
        }
    }
}
