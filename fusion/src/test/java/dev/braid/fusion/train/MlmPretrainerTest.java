package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.pretrain.MaskedLanguageModel;
import dev.braid.text.pretrain.MlmMasking;
import dev.braid.text.pretrain.SavedTextEncoder;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.EncodedBatch;
import dev.braid.text.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlmPretrainerTest {

    static List<String> corpus;
    static Tokenizer tokenizer;

    /**
     * Sentences whose words are predictable from their neighbours: "the red fox eats the apple".
     */
    static List<String> structuredCorpus(int n, long seed) {
        String[][] pairs = {
            {"red", "fox"}, {"blue", "whale"}, {"green", "frog"}, {"yellow", "bee"}
        };
        String[][] food = {{"eats", "apple"}, {"drinks", "water"}, {"reads", "book"}};
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] p = pairs[random.nextInt(pairs.length)];
            String[] f = food[random.nextInt(food.length)];
            out.add("the " + p[0] + " " + p[1] + " " + f[0] + " the " + f[1]);
        }
        return out;
    }

    @BeforeAll
    static void setUp() {
        corpus = structuredCorpus(400, 1);
        tokenizer = new BpeTrainer(new BpeTrainer.Config(300, 2)).train(corpus);
    }

    private static MaskedLanguageModel model() {
        TextEncoderConfig config =
                TextEncoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                        .maxLength(16)
                        .build();
        return new MaskedLanguageModel(new TransformerTextEncoder(config));
    }

    @Test
    void aNonFiniteGradientStopsPretrainingNamingTheStepAndTheParameter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MaskedLanguageModel model = model();
            Shape shape = new Shape(8, 16);
            model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, shape, shape);
            Parameter poisoned = model.getParameters().get(0).getValue();
            NDArray weights = poisoned.getArray();
            float[] values = weights.toFloatArray();
            java.util.Arrays.fill(values, Float.NaN);
            weights.set(values);
            MlmPretrainer.Config config = new MlmPretrainer.Config(3, 8, 1e-3f, 0.01f, 0.15, 3);
            dev.braid.tensor.NonFiniteGradientException e =
                    assertThrows(
                            dev.braid.tensor.NonFiniteGradientException.class,
                            () ->
                                    new MlmPretrainer(config)
                                            .train(model, tokenizer, corpus, manager, null));
            assertTrue(e.getMessage().contains("step 0"), e.getMessage());
        }
    }

    @Test
    void pretrainingLowersTheMlmLossWellBelowItsStart() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MlmPretrainer.Config config = new MlmPretrainer.Config(150, 32, 3e-3f, 0.01f, 0.15, 5);
            float[] losses =
                    new MlmPretrainer(config).train(model(), tokenizer, corpus, manager, null);
            float start = mean(losses, 0, 10);
            float end = mean(losses, 140, 150);
            System.out.printf("MLM loss: first 10 steps %.3f, last 10 steps %.3f%n", start, end);
            // At the start the model guesses among ~V tokens: loss near ln(300) = 5.7.
            assertTrue(start > 4.5f, "start " + start);
            assertTrue(end < 0.4f * start, "MLM loss went from " + start + " to " + end);
        }
    }

    @Test
    void sameSeedGivesTheSameLosses() {
        MlmPretrainer.Config config = new MlmPretrainer.Config(5, 8, 1e-3f, 0.01f, 0.15, 11);
        float[] a;
        float[] b;
        try (NDManager manager = NDManager.newBaseManager()) {
            a = new MlmPretrainer(config).train(model(), tokenizer, corpus, manager, null);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            b = new MlmPretrainer(config).train(model(), tokenizer, corpus, manager, null);
        }
        assertArrayEquals(a, b);
    }

    @Test
    void outputProjectionIsTheInputEmbedding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MaskedLanguageModel model = model();
            Shape shape = new Shape(2, 16);
            model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, shape, shape);
            long vocabularyByWidth = 0;
            for (var p : model.getParameters()) {
                Shape s = p.getValue().getArray().getShape();
                if (s.equals(new Shape(tokenizer.vocabularySize(), 32))) {
                    vocabularyByWidth++;
                }
            }
            assertEquals(1, vocabularyByWidth, "one V x D matrix: the embedding, used twice");

            // Changing one embedding row changes that token's logit even where it is not an input.
            EncodedBatch batch = tokenizer.encodeBatch(List.of("the red fox"), 16);
            NDList in = batch.toNDList(manager);
            ParameterStore store = new ParameterStore(manager, false);
            int probe = tokenizer.encode(" whale")[0];
            float before = model.forward(store, in, false).head().getFloat(0, 1, probe);
            Parameter embedding = model.encoder().tokenEmbedding();
            NDArray row = embedding.getArray().get(probe);
            embedding.getArray().set(new ai.djl.ndarray.index.NDIndex("{}", probe), row.mul(5));
            float after = model.forward(store, in, false).head().getFloat(0, 1, probe);
            assertTrue(Math.abs(after - before) > 1e-3, before + " vs " + after);
        }
    }

    @Test
    void lossIsCrossEntropyAtLabelledPositionsOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // one sample, two positions, vocabulary 2; position 1 is not labelled
            NDArray logits = manager.create(new float[] {0, 0, 5, -5}, new Shape(1, 2, 2));
            NDArray labels = manager.create(new long[] {1, -1}, new Shape(1, 2));
            assertEquals(Math.log(2), MaskedLanguageModel.loss(logits, labels).getFloat(), 1e-6);
        }
    }

    @Test
    void maskingPicksAboutTheRequestedShareAndNeverSpecials() {
        MlmMasking masking =
                new MlmMasking(0.15, tokenizer.vocabularySize(), tokenizer.specialTokens());
        EncodedBatch batch = tokenizer.encodeBatch(corpus, 16);
        MlmMasking.Masked masked = masking.apply(batch, new Random(3));
        int real = 0;
        int picked = 0;
        int asMask = 0;
        for (int i = 0; i < batch.ids().length; i++) {
            boolean special = tokenizer.specialTokens().contains(batch.ids()[i]);
            if (batch.mask()[i] && !special) {
                real++;
            }
            if (masked.labels()[i] >= 0) {
                picked++;
                assertTrue(batch.mask()[i] && !special);
                assertEquals(batch.ids()[i], masked.labels()[i]);
                asMask += masked.inputIds()[i] == tokenizer.specialTokens().mask() ? 1 : 0;
            } else {
                assertEquals(batch.ids()[i], masked.inputIds()[i]);
            }
        }
        assertEquals(0.15, picked / (double) real, 0.03);
        assertEquals(0.8, asMask / (double) picked, 0.07);
        assertThrows(
                IllegalArgumentException.class,
                () -> new MlmMasking(0, 10, tokenizer.specialTokens()));
    }

    @Test
    void savedEncoderLoadsWithTheSameOutputs(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            MaskedLanguageModel model = model();
            new MlmPretrainer(new MlmPretrainer.Config(3, 8, 1e-3f, 0.01f, 0.15, 2))
                    .train(model, tokenizer, corpus, manager, null);
            new SavedTextEncoder(model.encoder(), tokenizer).save(dir);
            SavedTextEncoder loaded = SavedTextEncoder.load(dir, manager);
            assertEquals(model.encoder().config(), loaded.encoder().config());
            NDList in =
                    loaded.tokenizer().encodeBatch(List.of("the blue whale"), 16).toNDList(manager);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray a = model.encoder().forward(store, in, false).head();
            NDArray b = loaded.encoder().forward(store, in, false).head();
            assertTrue(a.allClose(b, 0, 0, false));

            Files.delete(dir.resolve("text-encoder.json"));
            IOException e =
                    assertThrows(IOException.class, () -> SavedTextEncoder.load(dir, manager));
            assertTrue(e.getMessage().contains("text-encoder.json is missing"), e.getMessage());
        }
    }

    private static float mean(float[] values, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
