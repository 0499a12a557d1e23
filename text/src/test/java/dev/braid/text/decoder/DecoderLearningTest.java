package dev.braid.text.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.generate.Generator;
import dev.braid.text.generate.TokenListener;
import dev.braid.text.testing.TinyTraining;
import dev.braid.text.tokenize.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder learns: tasks small enough for a few hundred steps on a shared 2-core machine. */
class DecoderLearningTest {

    private static final SpecialTokens SPECIAL = SpecialTokens.standard();

    /**
     * The original Transformer, encoder and decoder, learns to reverse 5 tokens (from 10 symbols)
     * to near-zero loss, and greedy generation then reverses a sequence it has not been shown.
     */
    @Test
    void anEncoderDecoderLearnsToReverseASequence() {
        int vocabulary = 15;
        int length = 5;
        int batch = 32;
        Engine.getInstance().setRandomSeed(1);
        Random random = new Random(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoder model = originalTransformer(manager, vocabulary, batch, length, false);
            TransformerTextEncoder encoder = model.encoder();
            TransformerDecoder decoder = model.decoder();
            float[] losses =
                    TinyTraining.train(
                            manager,
                            400,
                            2e-3f,
                            (step, store) -> {
                                List<int[]> sources = new ArrayList<>();
                                for (int b = 0; b < batch; b++) {
                                    sources.add(tokensBetween(random, length, 5, 15));
                                }
                                NDList memory =
                                        encoder.forward(store, encoderInput(step, sources), true);
                                DecoderBatch taught =
                                        TeacherForcing.batch(step, reversed(sources), 8, SPECIAL);
                                NDArray logits =
                                        decoder.forward(
                                                        store,
                                                        taught.decoderInput(
                                                                memory.get(0), memory.get(1)),
                                                        true)
                                                .singletonOrThrow();
                                return DecoderLoss.crossEntropy(
                                        logits, taught.targets(), taught.mask(), 0f);
                            },
                            encoder,
                            decoder);
            float end = TinyTraining.mean(losses, losses.length - 20, losses.length);
            System.out.printf("reverse: loss %.3f -> %.4f%n", losses[0], end);
            assertTrue(end < 0.05f, "loss " + losses[0] + " -> " + end);

            int[] unseen = {5, 9, 14, 6, 11};
            NDList memory =
                    encoder.forward(
                            new ai.djl.training.ParameterStore(manager, false),
                            encoderInput(manager, List.of(unseen)),
                            false);
            Generator generator =
                    Generator.builder()
                            .setDecoder(decoder)
                            .setConfig(GenerationConfig.greedy(7, SPECIAL.sep()))
                            .build();
            Generated reply =
                    generator
                            .generate(
                                    manager,
                                    Generator.startPrompts(1, SPECIAL.cls()),
                                    memory.get(0),
                                    memory.get(1),
                                    TokenListener.NONE)
                            .get(0);
            assertArrayEquals(new int[] {11, 6, 14, 9, 5}, reply.tokens());
        }
    }

    /**
     * Which of four 3-token answers to give is written only in the memory (a class vector at a
     * random one of four positions, among noise). With cross-attention the decoder learns every
     * token; without, the first token is a guess among four: its loss stays near ln 4, a quarter of
     * it, 0.35, averaged over the four scored positions (three tokens and the end).
     */
    @Test
    void anAnswerOnlyInTheMemoryIsLearnedWithCrossAttentionAndNotWithout() {
        float with = memoryTaskLoss(CrossAttention.EVERY_LAYER);
        float without = memoryTaskLoss(CrossAttention.NONE);
        System.out.printf("memory task: with cross-attention %.4f, without %.4f%n", with, without);
        assertTrue(with < 0.05f, "with cross-attention: " + with);
        assertTrue(without > 0.25f, "without cross-attention: " + without);
    }

    private static float memoryTaskLoss(CrossAttention crossAttention) {
        int vocabulary = 20;
        int batch = 32;
        int slots = 4;
        int width = 32;
        Engine.getInstance().setRandomSeed(2);
        Random random = new Random(2);
        float[][] classes = new float[4][width];
        for (float[] c : classes) {
            for (int d = 0; d < width; d++) {
                c[d] = (float) random.nextGaussian();
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderConfig config =
                    DecoderConfig.gpt2(vocabulary).toBuilder()
                            .maxLength(8)
                            .crossAttention(crossAttention)
                            .build();
            TransformerDecoder decoder = new TransformerDecoder(config);
            Shape target = new Shape(batch, 4);
            decoder.initialize(
                    manager,
                    DataType.FLOAT32,
                    target,
                    target,
                    new Shape(batch, slots, width),
                    new Shape(batch, slots));
            float[] losses =
                    TinyTraining.train(
                            manager,
                            250,
                            3e-3f,
                            (step, store) -> {
                                float[] memory = new float[batch * slots * width];
                                List<int[]> answers = new ArrayList<>();
                                for (int b = 0; b < batch; b++) {
                                    int k = random.nextInt(4);
                                    int at = random.nextInt(slots);
                                    for (int s = 0; s < slots; s++) {
                                        for (int d = 0; d < width; d++) {
                                            float noise = (float) (0.3 * random.nextGaussian());
                                            memory[(b * slots + s) * width + d] =
                                                    s == at ? classes[k][d] + noise : noise;
                                        }
                                    }
                                    answers.add(new int[] {5 + k, 9 + k, 13 + k});
                                }
                                DecoderBatch taught =
                                        TeacherForcing.batch(step, answers, 8, SPECIAL);
                                NDList input =
                                        crossAttention == CrossAttention.NONE
                                                ? taught.decoderInput()
                                                : taught.decoderInput(
                                                        step.create(
                                                                memory,
                                                                new Shape(batch, slots, width)),
                                                        step.ones(
                                                                new Shape(batch, slots),
                                                                DataType.BOOLEAN));
                                NDArray logits =
                                        decoder.forward(store, input, true).singletonOrThrow();
                                return DecoderLoss.crossEntropy(
                                        logits, taught.targets(), taught.mask(), 0f);
                            },
                            decoder);
            return TinyTraining.mean(losses, losses.length - 20, losses.length);
        }
    }

    /**
     * Copying 5 tokens out of 55, on a budget of 300 steps: greedy decoding then copies sequences
     * it was not shown. A decoder that points into its memory ({@link MemoryCopy}) only has to find
     * the next position and learns that in time; one that must write each token from its vocabulary
     * has to learn 55 maps from a position's encoding back to its id and does not.
     */
    @Test
    void aDecoderThatCopiesFromItsMemoryCopiesTokensItNeverWrote() {
        int with = unseenSequencesCopied(true);
        int without = unseenSequencesCopied(false);
        System.out.printf(
                "copy task: unseen copied with MemoryCopy %d/20, without %d/20%n", with, without);
        assertTrue(with >= 16, "with MemoryCopy: " + with + "/20");
        assertTrue(without <= 2, "without MemoryCopy: " + without + "/20");
    }

    private static int unseenSequencesCopied(boolean copy) {
        int vocabulary = 60;
        int length = 5;
        int batch = 32;
        Engine.getInstance().setRandomSeed(3);
        Random random = new Random(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoder model = originalTransformer(manager, vocabulary, batch, length, copy);
            TransformerTextEncoder encoder = model.encoder();
            TransformerDecoder decoder = model.decoder();
            float[] losses =
                    TinyTraining.train(
                            manager,
                            300,
                            2e-3f,
                            (step, store) -> {
                                List<int[]> sources = new ArrayList<>();
                                for (int b = 0; b < batch; b++) {
                                    sources.add(tokensBetween(random, length, 5, 60));
                                }
                                NDList in = encoderInput(step, sources);
                                NDList memory = encoder.forward(store, in, true);
                                DecoderBatch taught =
                                        TeacherForcing.batch(step, sources, 8, SPECIAL);
                                NDList input = taught.decoderInput(memory.get(0), memory.get(1));
                                if (copy) {
                                    input.add(in.get(0));
                                }
                                NDArray logits =
                                        decoder.forward(store, input, true).singletonOrThrow();
                                return DecoderLoss.crossEntropy(
                                        logits, taught.targets(), taught.mask(), 0f);
                            },
                            encoder,
                            decoder);
            Generator generator =
                    Generator.builder()
                            .setDecoder(decoder)
                            .setConfig(GenerationConfig.greedy(length + 1, SPECIAL.sep()))
                            .build();
            List<int[]> unseen = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                unseen.add(tokensBetween(random, length, 5, 60));
            }
            ai.djl.training.ParameterStore store =
                    new ai.djl.training.ParameterStore(manager, false);
            NDList in = encoderInput(manager, unseen);
            NDList memory = encoder.forward(store, in, false);
            List<Generated> copies =
                    generator.generate(
                            manager,
                            Generator.startPrompts(unseen.size(), SPECIAL.cls()),
                            memory.get(0),
                            memory.get(1),
                            copy ? in.get(0) : null,
                            TokenListener.NONE);
            int right = 0;
            System.out.printf(
                    "copy %s: loss %.3f -> %.4f; %s -> %s%n",
                    copy,
                    losses[0],
                    TinyTraining.mean(losses, losses.length - 20, losses.length),
                    Arrays.toString(unseen.get(0)),
                    Arrays.toString(copies.get(0).tokens()));
            for (int i = 0; i < unseen.size(); i++) {
                right += Arrays.equals(unseen.get(i), copies.get(i).tokens()) ? 1 : 0;
            }
            return right;
        }
    }

    private record EncoderDecoder(TransformerTextEncoder encoder, TransformerDecoder decoder) {}

    /**
     * The original Transformer's encoder and decoder (width 32, sequences up to 8), initialised for
     * {@code batch} sources of {@code length} tokens and their targets with the end token.
     */
    private static EncoderDecoder originalTransformer(
            NDManager manager, int vocabulary, int batch, int length, boolean copy) {
        TransformerTextEncoder encoder =
                new TransformerTextEncoder(
                        TextEncoderConfig.originalTransformer(vocabulary).toBuilder()
                                .maxLength(8)
                                .build());
        TransformerDecoder decoder =
                new TransformerDecoder(
                        DecoderConfig.originalTransformer(vocabulary).toBuilder()
                                .maxLength(8)
                                .copyFromMemory(copy)
                                .build());
        Shape source = new Shape(batch, length);
        encoder.initialize(manager, DataType.FLOAT32, source, source);
        Shape target = new Shape(batch, length + 1);
        decoder.initialize(
                manager, DataType.FLOAT32, target, target, new Shape(batch, length, 32), source);
        return new EncoderDecoder(encoder, decoder);
    }

    private static int[] tokensBetween(Random random, int length, int from, int to) {
        int[] tokens = new int[length];
        for (int t = 0; t < length; t++) {
            tokens[t] = from + random.nextInt(to - from);
        }
        return tokens;
    }

    private static List<int[]> reversed(List<int[]> sequences) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : sequences) {
            int[] r = new int[s.length];
            for (int t = 0; t < s.length; t++) {
                r[t] = s[s.length - 1 - t];
            }
            out.add(r);
        }
        return out;
    }

    private static NDList encoderInput(NDManager manager, List<int[]> sources) {
        int length = sources.get(0).length;
        long[] ids = sources.stream().flatMapToInt(Arrays::stream).asLongStream().toArray();
        boolean[] mask = new boolean[ids.length];
        Arrays.fill(mask, true);
        Shape shape = new Shape(sources.size(), length);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape));
    }
}
