package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.model.ReplyMemory;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.fusion.predict.ReplyFiles;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.tokenize.SpecialTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A generation head over a tiny tri-modal model: it learns a label-dependent reply, its cached
 * greedy decoding equals a full recompute, and a saved directory loads and generates the same
 * reply.
 */
class ReplyTrainerTest {

    @TempDir static Path dir;

    private static TinyRun run;
    private static List<ReplyTrainer.Example> examples;
    private static Collator collator;
    private static SpecialTokens special;

    @BeforeAll
    static void data() throws Exception {
        run = TinyRun.create(dir.resolve("data"), 24, 4, 4);
        FeatureExtractor extractor = FeatureExtractor.of(run.tokenizer, run.settings);
        collator = Collator.of(run.schema, extractor);
        special = run.tokenizer.specialTokens();
        examples = new ArrayList<>();
        int i = 0;
        for (ManifestEntry e : run.dataset.entries(Split.TRAIN)) {
            String label =
                    ((dev.braid.fusion.data.Label.ClassLabel) e.labels().get("label")).name();
            int[] reply = run.tokenizer.encode("reply " + label.replaceAll("[^0-9]", "") + " red");
            examples.add(
                    new ReplyTrainer.Example(new Sample(0, e), extractor.extract(e, i++), reply));
        }
    }

    private static ReplyHead head(
            FusionModel model, NDManager manager, boolean copy, ReplyMemory memory) {
        ReplyHead head =
                new ReplyHead(
                        DecoderConfig.tiny(run.tokenizer.vocabularySize()).toBuilder()
                                .crossAttention(CrossAttention.EVERY_LAYER)
                                .copyFromMemory(copy)
                                .maxLength(16)
                                .build(),
                        model.config().modalities(),
                        memory);
        head.initialize(
                manager,
                DataType.FLOAT32,
                ReplyFiles.shapes(
                        head, model, ModelDirectory.inputShapes(model.config(), run.settings)));
        return head;
    }

    private static Batch batch(int from, int to) {
        List<ReplyTrainer.Example> some = examples.subList(from, to);
        return collator.collate(
                some.stream().map(ReplyTrainer.Example::sample).toList(),
                some.stream().map(ReplyTrainer.Example::features).toList());
    }

    private static GenerationConfig greedy() {
        return GenerationConfig.builder().stopTokens(special.sep()).maxNewTokens(8).build();
    }

    /**
     * Over the encoders' tokens, with and without copying from the text; over the fusion's output.
     */
    @ParameterizedTest(name = "copy {0}, memory {1}")
    @CsvSource({"false, ENCODER_TOKENS", "true, ENCODER_TOKENS", "false, FUSION_OUTPUT"})
    void theReplyLossFallsAndTheCachedReplyEqualsAFullRecompute(boolean copy, ReplyMemory memory)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelConfig config = run.modelConfig(FusionKind.PAIRWISE);
            FusionModel model = TinyRun.model(config, manager, 3);
            ReplyHead head = head(model, manager, copy, memory);
            float[] losses =
                    new ReplyTrainer(new ReplyTrainer.Config(40, 8, 3e-3f, 0.1f, 1f, 12, 5))
                            .train(model, head, examples, collator, special, manager, null);
            float first = (losses[0] + losses[1] + losses[2]) / 3;
            float last = (losses[37] + losses[38] + losses[39]) / 3;
            assertTrue(last < 0.5f * first, "reply loss " + first + " -> " + last);

            Batch batch = batch(0, 6);
            ReplyDecoding.Result cached =
                    ReplyDecoding.generate(
                            model, head, run.tokenizer, batch, greedy(), manager, null);
            List<int[]> recomputed =
                    ReplyDecoding.greedyWithoutCache(model, head, special, batch, 8, manager);
            for (int b = 0; b < batch.size(); b++) {
                int[] tokens = cached.replies().get(b).tokens();
                int[] withoutSep =
                        tokens.length > 0 && tokens[tokens.length - 1] == special.sep()
                                ? java.util.Arrays.copyOf(tokens, tokens.length - 1)
                                : tokens;
                assertArrayEquals(recomputed.get(b), withoutSep, "row " + b);
            }

            Path saved = dir.resolve("model-" + copy + "-" + memory);
            new ModelDirectory(
                            config, run.schema, run.settings, JsonNodeFactory.instance.objectNode())
                    .save(saved, model, run.tokenizer);
            ReplyFiles.save(saved, head);
            ManifestEntry e = examples.get(0).sample().entry();
            Generated expected = cached.replies().get(0);
            try (FusionPredictor predictor = FusionPredictor.load(saved)) {
                assertTrue(predictor.generates());
                assertEquals(
                        copy,
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(saved.resolve(ReplyFiles.DESCRIPTION).toFile())
                                .at("/decoder/copyFromMemory")
                                .asBoolean());
                assertEquals(
                        memory.name(),
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(saved.resolve(ReplyFiles.DESCRIPTION).toFile())
                                .path("memorySource")
                                .asText());
                Map<Modality, byte[]> inputs = new TreeMap<>();
                inputs.put(
                        Modality.TEXT,
                        e.inputs().get(Modality.TEXT).getBytes(StandardCharsets.UTF_8));
                inputs.put(
                        Modality.IMAGE,
                        Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE))));
                inputs.put(
                        Modality.AUDIO,
                        Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO))));
                FusionPredictor.Reply reply = predictor.reply(inputs, greedy(), null);
                assertEquals(expected.text(), reply.reply().text());
            }
        }
    }
}
