package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyFiles;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.tokenize.SpecialTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO over a tiny tri-modal model: the loss starts at log 2 (policy = reference), falls as the
 * policy learns to prefer the reply naming the ticket's label over one naming another label, the
 * encoders and the reference stay as they were, the same seed gives the same losses, and a step
 * leaves no array behind.
 */
class PreferenceTrainerTest {

    @TempDir static Path dir;

    private static TinyRun run;
    private static List<PreferenceTrainer.Pair> pairs;
    private static Collator collator;
    private static SpecialTokens special;

    @BeforeAll
    static void data() throws Exception {
        run = TinyRun.create(dir.resolve("data"), 24, 4, 4);
        FeatureExtractor extractor = FeatureExtractor.of(run.tokenizer, run.settings);
        collator = Collator.of(run.schema, extractor);
        special = run.tokenizer.specialTokens();
        pairs = new ArrayList<>();
        int i = 0;
        for (ManifestEntry e : run.dataset.entries(Split.TRAIN)) {
            int digit =
                    Integer.parseInt(
                            ((Label.ClassLabel) e.labels().get("label"))
                                    .name()
                                    .replaceAll("[^0-9]", ""));
            pairs.add(
                    new PreferenceTrainer.Pair(
                            new Sample(0, e),
                            extractor.extract(e, i++),
                            run.tokenizer.encode("reply " + digit + " red"),
                            run.tokenizer.encode("reply " + (digit + 1) % 4 + " red")));
        }
    }

    /** A trained-from-nothing reply head saved once, loaded as policy and as reference. */
    private record Heads(FusionModel model, ReplyHead policy, ReplyHead reference) {}

    private static Heads heads(NDManager manager, String name) throws Exception {
        ModelConfig config = run.modelConfig(FusionKind.PAIRWISE);
        FusionModel model = TinyRun.model(config, manager, 3);
        Engine.getInstance().setRandomSeed(11);
        ReplyHead head =
                new ReplyHead(
                        DecoderConfig.tiny(run.tokenizer.vocabularySize()).toBuilder()
                                .crossAttention(CrossAttention.EVERY_LAYER)
                                .maxLength(16)
                                .build(),
                        model.config().modalities());
        head.initialize(
                manager,
                DataType.FLOAT32,
                ReplyFiles.shapes(
                        head,
                        model.encoderShapes(ModelDirectory.inputShapes(config, run.settings))));
        Path saved = dir.resolve(name);
        ReplyFiles.save(saved, head);
        return new Heads(
                model,
                ReplyFiles.load(saved, manager, model, run.settings),
                ReplyFiles.load(saved, manager, model, run.settings));
    }

    private static final PreferenceTrainer.Config CONFIG =
            new PreferenceTrainer.Config(30, 8, 3e-3f, 0.5f, 0f, 12, 5);

    @Test
    void thePolicyLearnsThePreferenceAndNothingElseMoves() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Heads h = heads(manager, "a");
            float[] encoders = flat(h.model());
            float[] reference = flat(h.reference());
            PreferenceTrainer trainer = new PreferenceTrainer(CONFIG);
            float[][] before =
                    trainer.referenceLogProbabilities(
                            h.model(), h.policy(), pairs, collator, special, manager);
            List<PreferenceTrainer.Step> steps = new ArrayList<>();
            List<Integer> arrays = new ArrayList<>();
            float[] losses =
                    trainer.train(
                            h.model(),
                            h.policy(),
                            h.reference(),
                            pairs,
                            collator,
                            special,
                            manager,
                            s -> {
                                steps.add(s);
                                arrays.add(manager.getManagedArrays().size());
                            });
            assertEquals((float) Math.log(2), losses[0], 1e-5f, "policy = reference at step 0");
            assertEquals(0f, steps.get(0).margin(), 1e-5f);
            float last = (losses[27] + losses[28] + losses[29]) / 3;
            assertTrue(last < 0.3f, "DPO loss " + losses[0] + " -> " + last);
            assertTrue(steps.get(29).accuracy() == 1f, "last step's accuracy " + steps.get(29));

            float[][] after =
                    trainer.referenceLogProbabilities(
                            h.model(), h.policy(), pairs, collator, special, manager);
            double gainChosen = 0;
            double gainRejected = 0;
            for (int i = 0; i < pairs.size(); i++) {
                gainChosen += after[0][i] - before[0][i];
                gainRejected += after[1][i] - before[1][i];
            }
            assertTrue(
                    gainChosen / pairs.size() > gainRejected / pairs.size() + 1,
                    "mean log-probability change: preferred "
                            + gainChosen / pairs.size()
                            + ", other "
                            + gainRejected / pairs.size());

            assertArrayEquals(encoders, flat(h.model()), 0f, "encoders frozen");
            assertArrayEquals(reference, flat(h.reference()), 0f, "reference");
            // AdamW's moments appear at the first update; after that a step adds nothing
            assertEquals(arrays.get(1), arrays.get(arrays.size() - 1), "arrays " + arrays);
        }
    }

    @Test
    void theSameSeedGivesTheSameLosses() throws Exception {
        PreferenceTrainer.Config short_ =
                new PreferenceTrainer.Config(6, 8, 3e-3f, 0.5f, 0.5f, 12, 9);
        float[] first = losses(short_, "b");
        float[] second = losses(short_, "c");
        assertArrayEquals(first, second, 0f);
    }

    /** The step losses of tuning fresh heads (saved under {@code name}) with {@code config}. */
    private static float[] losses(PreferenceTrainer.Config config, String name) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Heads h = heads(manager, name);
            return new PreferenceTrainer(config)
                    .train(
                            h.model(),
                            h.policy(),
                            h.reference(),
                            pairs,
                            collator,
                            special,
                            manager,
                            null);
        }
    }

    /** Every parameter of {@code block}, concatenated. */
    private static float[] flat(Block block) {
        List<float[]> parts = new ArrayList<>();
        block.getParameters().forEach(p -> parts.add(p.getValue().getArray().toFloatArray()));
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
