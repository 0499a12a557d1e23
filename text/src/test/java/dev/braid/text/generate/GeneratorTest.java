package dev.braid.text.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.decoder.TransformerDecoder;
import dev.braid.text.testing.LetterTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generation with small untrained decoders: the strategies agree where they must. */
class GeneratorTest {

    private static final int VOCAB = 31;
    private NDManager manager;
    private TransformerDecoder decoder;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(21);
        manager = NDManager.newBaseManager();
        decoder = decoder(DecoderConfig.gpt2(VOCAB).toBuilder().maxLength(24).build());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private TransformerDecoder decoder(DecoderConfig config) {
        TransformerDecoder d = new TransformerDecoder(config);
        Shape ids = new Shape(1, 4);
        if (config.crossAttention() == CrossAttention.EVERY_LAYER) {
            d.initialize(
                    manager,
                    DataType.FLOAT32,
                    ids,
                    ids,
                    new Shape(1, 3, config.width()),
                    new Shape(1, 3));
        } else {
            d.initialize(manager, DataType.FLOAT32, ids, ids);
        }
        return d;
    }

    private List<Generated> run(GenerationConfig config, List<int[]> prompts) {
        return run(config, prompts, TokenListener.NONE);
    }

    private List<Generated> run(
            GenerationConfig config, List<int[]> prompts, TokenListener listener) {
        Generator generator =
                Generator.builder()
                        .setDecoder(decoder)
                        .setConfig(config)
                        .optTokenizer(new LetterTokenizer())
                        .build();
        return generator.generate(manager, prompts, listener);
    }

    private static List<int[]> prompts() {
        return List.of(new int[] {2, 7, 8}, new int[] {2, 12}, new int[] {2});
    }

    private static List<List<Integer>> tokens(List<Generated> results) {
        return results.stream()
                .map(g -> Arrays.stream(g.tokens()).boxed().collect(Collectors.toList()))
                .toList();
    }

    @Test
    void greedyEqualsTopKOneEqualsTemperatureNearZero() {
        GenerationConfig greedy = GenerationConfig.greedy(10);
        List<List<Integer>> expected = tokens(run(greedy, prompts()));
        GenerationConfig topK1 =
                greedy.toBuilder().strategy(Strategy.SAMPLE).topK(1).seed(3).build();
        assertEquals(expected, tokens(run(topK1, prompts())));
        GenerationConfig cold =
                greedy.toBuilder().strategy(Strategy.SAMPLE).temperature(1e-5f).seed(4).build();
        assertEquals(expected, tokens(run(cold, prompts())));
        assertEquals(10, expected.get(0).size());
        assertEquals(FinishReason.MAX_LENGTH, run(greedy, prompts()).get(0).reason());
    }

    @Test
    void beamWidthOneEqualsGreedy() {
        int stop = firstGreedyToken(List.of(new int[] {2, 12})); // row 1 stops at once
        GenerationConfig greedy = GenerationConfig.greedy(10, stop, 9);
        List<Generated> expected = run(greedy, prompts());
        for (boolean early : new boolean[] {true, false}) {
            GenerationConfig beam =
                    greedy.toBuilder()
                            .strategy(Strategy.BEAM)
                            .beamWidth(1)
                            .earlyStopping(early)
                            .build();
            List<Generated> beamed = run(beam, prompts());
            assertEquals(tokens(expected), tokens(beamed));
            for (int b = 0; b < 3; b++) {
                assertEquals(expected.get(b).reason(), beamed.get(b).reason());
            }
        }
        assertEquals(FinishReason.STOP_TOKEN, expected.get(1).reason());
        assertEquals(0, expected.get(1).tokens().length);
    }

    @Test
    void oneStepOfAWideBeamScoresWhatGreedyScoresAndLongerBeamsRunToTheLimit() {
        // with no stop token and length penalty 0, a hypothesis scores its total log-probability;
        // after one step the best beam is the most likely token, greedy's
        GenerationConfig beam =
                GenerationConfig.builder()
                        .strategy(Strategy.BEAM)
                        .beamWidth(4)
                        .lengthPenalty(0)
                        .maxNewTokens(1)
                        .build();
        List<Generated> beamed = run(beam, prompts());
        List<Generated> greedy = run(GenerationConfig.greedy(1), prompts());
        for (int b = 0; b < 3; b++) {
            assertEquals(1, beamed.get(b).tokens().length);
            assertEquals(greedy.get(b).score(), beamed.get(b).score(), 1e-9);
        }
        GenerationConfig longer = beam.toBuilder().maxNewTokens(6).build();
        List<Generated> beamedLonger = run(longer, prompts());
        for (int b = 0; b < 3; b++) {
            assertEquals(6, beamedLonger.get(b).tokens().length);
            assertEquals(FinishReason.MAX_LENGTH, beamedLonger.get(b).reason());
        }
        assertEquals(tokens(beamedLonger), tokens(run(longer, prompts())), "deterministic");
    }

    /**
     * With 6 tokens and 36 beams, beam search keeps every 2-token continuation, so after 3 steps
     * (length penalty 0: the score is the total log-probability) it must return the best of all 216
     * three-token continuations, found here by brute force with full forwards. The beams of step 2
     * come from all six of step 1, so the cache's reordering is exercised too.
     */
    @Test
    void beamSearchAsWideAsEveryContinuationFindsTheExhaustiveBest() {
        decoder = decoder(DecoderConfig.gpt2(6).toBuilder().maxLength(8).build());
        int[] prompt = {2, 5};
        double best = Double.NEGATIVE_INFINITY;
        int[] bestTokens = null;
        ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(manager, false);
        for (int a = 0; a < 6; a++) {
            for (int b = 0; b < 6; b++) {
                long[] ids = {2, 5, a, b};
                NDArray logits =
                        decoder.forward(
                                        store,
                                        new ai.djl.ndarray.NDList(
                                                manager.create(ids, new Shape(1, 4)),
                                                manager.ones(new Shape(1, 4), DataType.BOOLEAN)),
                                        false)
                                .singletonOrThrow(); // (1, 4, 6): positions 1, 2, 3 predict a, b, c
                double[] first = logSoftmax(logits.get(0, 1).toFloatArray());
                double[] second = logSoftmax(logits.get(0, 2).toFloatArray());
                double[] third = logSoftmax(logits.get(0, 3).toFloatArray());
                for (int c = 0; c < 6; c++) {
                    double total = first[a] + second[b] + third[c];
                    if (total > best) {
                        best = total;
                        bestTokens = new int[] {a, b, c};
                    }
                }
            }
        }
        GenerationConfig beam =
                GenerationConfig.builder()
                        .strategy(Strategy.BEAM)
                        .beamWidth(36)
                        .lengthPenalty(0)
                        .maxNewTokens(3)
                        .build();
        Generated found =
                Generator.builder()
                        .setDecoder(decoder)
                        .setConfig(beam)
                        .build()
                        .generate(manager, List.of(prompt), TokenListener.NONE)
                        .get(0);
        assertArrayEquals(bestTokens, found.tokens());
        assertEquals(best, found.score(), 1e-4);
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double[] out = new double[logits.length];
        for (int v = 0; v < out.length; v++) {
            out[v] = logits[v] - max - Math.log(sum);
        }
        return out;
    }

    private int firstGreedyToken(List<int[]> prompt) {
        return run(GenerationConfig.greedy(1), prompt).get(0).tokens()[0];
    }

    @Test
    void theSameSeedGivesTheSameSampleAndAnotherSeedAnother() {
        GenerationConfig sample =
                GenerationConfig.builder()
                        .strategy(Strategy.SAMPLE)
                        .maxNewTokens(12)
                        .topP(0.95f)
                        .seed(5)
                        .build();
        List<List<Integer>> first = tokens(run(sample, prompts()));
        assertEquals(first, tokens(run(sample, prompts())));
        assertNotEquals(first, tokens(run(sample.toBuilder().seed(6).build(), prompts())));
    }

    @Test
    void aBatchedPromptGeneratesWhatItGeneratesAlone() {
        GenerationConfig greedy = GenerationConfig.greedy(8);
        List<List<Integer>> batched = tokens(run(greedy, prompts()));
        for (int b = 0; b < 3; b++) {
            assertEquals(batched.get(b), tokens(run(greedy, List.of(prompts().get(b)))).get(0));
        }
    }

    @Test
    void theListenerReceivesEachTokenInOrderAndOneFinishPerRow() {
        List<List<Integer>> streamed =
                new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        int[] finishes = new int[3];
        TokenListener listener =
                new TokenListener() {
                    @Override
                    public void onToken(int row, int token) {
                        assertEquals(0, finishes[row], "no token after the finish");
                        streamed.get(row).add(token);
                    }

                    @Override
                    public void onFinish(int row, Generated sequence) {
                        finishes[row]++;
                    }
                };
        GenerationConfig sample =
                GenerationConfig.builder().strategy(Strategy.SAMPLE).maxNewTokens(7).build();
        List<Generated> results = run(sample, prompts(), listener);
        assertEquals(tokens(results), streamed);
        assertArrayEquals(new int[] {1, 1, 1}, finishes);
    }

    @Test
    void finishedRowsArePaddedAndMinLengthHoldsStopTokensBack() {
        int stop = firstGreedyToken(List.of(new int[] {2, 12}));
        List<Generated> results = run(GenerationConfig.greedy(6, stop), prompts());
        assertEquals(0, results.get(1).tokens().length);
        int[][] padded = Generated.padded(results, 0);
        assertEquals(3, padded.length);
        for (int[] row : padded) {
            assertEquals(padded[0].length, row.length);
        }
        assertTrue(Arrays.stream(padded[1]).allMatch(t -> t == 0));

        GenerationConfig atLeast3 =
                GenerationConfig.builder().maxNewTokens(6).minNewTokens(3).stopTokens(stop).build();
        Generated held = run(atLeast3, List.of(new int[] {2, 12})).get(0);
        assertTrue(held.tokens().length >= 3, Arrays.toString(held.tokens()));
        for (int t = 0; t < 3; t++) {
            assertNotEquals(stop, held.tokens()[t]);
        }
    }

    @Test
    void aStopStringEndsTheSequenceAndCutsTheText() {
        Generated free = run(GenerationConfig.greedy(10), List.of(new int[] {2, 7})).get(0);
        String text = free.text();
        int at = 2;
        while (at < text.length() && text.indexOf(text.charAt(at)) < at) {
            at++; // a letter's first occurrence, so the cut is at a known place
        }
        if (at >= text.length()) {
            at = text.indexOf(text.charAt(2));
        }
        String stop = String.valueOf(text.charAt(at));
        int cut = text.indexOf(stop);
        GenerationConfig config =
                GenerationConfig.builder().maxNewTokens(10).stopStrings(List.of(stop)).build();
        Generated stopped = run(config, List.of(new int[] {2, 7})).get(0);
        assertEquals(FinishReason.STOP_STRING, stopped.reason());
        assertEquals(text.substring(0, cut), stopped.text());
        assertEquals(cut + 1, stopped.tokens().length, "the token that completed the stop string");
    }

    @Test
    void theDecodersMaxLengthBoundsTheSequence() {
        // maxLength 24, prompt of 3: the prompt and 21 fed tokens fill the cache, a 22nd is chosen
        Generated long_ = run(GenerationConfig.greedy(100), List.of(new int[] {2, 7, 8})).get(0);
        assertEquals(22, long_.tokens().length);
        assertEquals(FinishReason.MAX_LENGTH, long_.reason());
    }

    @Test
    void generationOverAMemoryUsesIt() {
        decoder = decoder(DecoderConfig.originalTransformer(VOCAB));
        NDArray memory = manager.randomNormal(new Shape(2, 3, 32));
        NDArray mask =
                manager.create(new boolean[] {true, true, true, true, true, true}, new Shape(2, 3));
        Generator generator =
                Generator.builder()
                        .setDecoder(decoder)
                        .setConfig(GenerationConfig.greedy(8))
                        .build();
        List<Generated> a =
                generator.generate(
                        manager, Generator.startPrompts(2, 2), memory, mask, TokenListener.NONE);
        NDArray other = memory.get(new NDIndex("1:2")).concat(memory.get(new NDIndex("0:1")), 0);
        List<Generated> b =
                generator.generate(
                        manager, Generator.startPrompts(2, 2), other, mask, TokenListener.NONE);
        assertArrayEquals(a.get(0).tokens(), b.get(1).tokens(), "each row follows its memory");
        assertArrayEquals(a.get(1).tokens(), b.get(0).tokens());
        assertFalse(Arrays.equals(a.get(0).tokens(), a.get(1).tokens()));
        GenerationConfig beam =
                GenerationConfig.builder()
                        .strategy(Strategy.BEAM)
                        .beamWidth(3)
                        .maxNewTokens(5)
                        .build();
        List<Generated> beamed =
                Generator.builder()
                        .setDecoder(decoder)
                        .setConfig(beam)
                        .build()
                        .generate(
                                manager,
                                Generator.startPrompts(2, 2),
                                memory,
                                mask,
                                TokenListener.NONE);
        assertEquals(2, beamed.size());
    }

    /** Every array of a generation (cache, steps, beams) is freed before generate returns. */
    @Test
    void generationLeavesNoArrayBehind() {
        decoder = decoder(DecoderConfig.originalTransformer(VOCAB));
        NDArray memory = manager.randomNormal(new Shape(2, 3, 32));
        NDArray mask =
                manager.create(
                        new boolean[] {true, true, false, true, false, false}, new Shape(2, 3));
        int before = manager.getManagedArrays().size();
        try (NDManager child = manager.newSubManager()) {
            child.zeros(new Shape(1));
            assertEquals(before + 1, manager.getManagedArrays().size(), "the count sees children");
        }
        for (Strategy strategy : Strategy.values()) {
            GenerationConfig config =
                    GenerationConfig.builder()
                            .strategy(strategy)
                            .beamWidth(3)
                            .maxNewTokens(6)
                            .build();
            Generator generator = Generator.builder().setDecoder(decoder).setConfig(config).build();
            generator.generate(
                    manager, Generator.startPrompts(2, 2), memory, mask, TokenListener.NONE);
            generator.generate(manager, prompts(), TokenListener.NONE);
            assertEquals(before, manager.getManagedArrays().size(), strategy.toString());
        }
    }

    /** One generator shared by threads (a server's requests) answers as it does alone. */
    @Test
    void concurrentGenerationsEqualSequentialOnes() throws Exception {
        GenerationConfig sample =
                GenerationConfig.builder()
                        .strategy(Strategy.SAMPLE)
                        .maxNewTokens(10)
                        .seed(9)
                        .build();
        Generator generator = Generator.builder().setDecoder(decoder).setConfig(sample).build();
        List<List<Integer>> alone =
                tokens(generator.generate(manager, prompts(), TokenListener.NONE));
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<List<List<Integer>>>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    try (NDManager own = manager.newSubManager()) {
                                        return tokens(
                                                generator.generate(
                                                        own, prompts(), TokenListener.NONE));
                                    }
                                }));
            }
            for (var future : futures) {
                assertEquals(alone, future.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badRequestsAreRefusedNamingWhatIsWrong() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> run(GenerationConfig.greedy(3), List.of(new int[0])));
        assertTrue(e.getMessage().contains("prompt 0 is empty"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> run(GenerationConfig.greedy(3), List.of(new int[] {2, 99})));
        assertTrue(e.getMessage().contains("token 99"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Generator.builder()
                                        .setDecoder(decoder)
                                        .setConfig(
                                                GenerationConfig.builder()
                                                        .stopStrings(List.of("x"))
                                                        .build())
                                        .build());
        assertTrue(e.getMessage().contains("optTokenizer"), e.getMessage());
    }
}
