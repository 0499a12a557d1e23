package dev.braid.text.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.transformer.DeepNorm;
import dev.braid.text.transformer.NormPlacement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransformerDecoderTest {

    static final int VOCAB = 20;
    private NDManager manager;
    private ParameterStore store;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
        store = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<Arguments> presets() {
        return Stream.of(
                Arguments.of("gpt2", DecoderConfig.gpt2(VOCAB)),
                Arguments.of("llama", DecoderConfig.llama(VOCAB)),
                Arguments.of("chatGlm", DecoderConfig.chatGlm(VOCAB)),
                Arguments.of("bloom", DecoderConfig.bloom(VOCAB)),
                Arguments.of("originalTransformer", DecoderConfig.originalTransformer(VOCAB)),
                Arguments.of(
                        COPYING,
                        DecoderConfig.gpt2(VOCAB).toBuilder()
                                .crossAttention(CrossAttention.EVERY_LAYER)
                                .copyFromMemory(true)
                                .build()),
                Arguments.of(NO_MEMORY, DecoderConfig.originalTransformer(VOCAB))); // as a plain LM
    }

    /** The preset name of a decoder with cross-attention run with no memory. */
    private static final String NO_MEMORY = "originalTransformer without a memory";

    /** A decoder that copies tokens from its memory, whose positions carry ids (or none, -1). */
    private static final String COPYING = "gpt2 copying from the memory";

    private TransformerDecoder decoder(DecoderConfig config, int batch, int length) {
        TransformerDecoder decoder = new TransformerDecoder(config);
        Shape ids = new Shape(batch, length);
        if (config.crossAttention() == CrossAttention.EVERY_LAYER) {
            decoder.initialize(
                    manager,
                    DataType.FLOAT32,
                    ids,
                    ids,
                    new Shape(batch, 3, config.width()),
                    new Shape(batch, 3));
        } else {
            decoder.initialize(manager, DataType.FLOAT32, ids, ids);
        }
        return decoder;
    }

    private NDArray ids(long[][] rows) {
        long[] flat = Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    private NDArray mask(boolean[][] rows) {
        boolean[] flat = new boolean[rows.length * rows[0].length];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    private NDList memory(String name, DecoderConfig config) {
        if (config.crossAttention() == CrossAttention.NONE || name.equals(NO_MEMORY)) {
            return new NDList();
        }
        NDArray tokens = manager.randomNormal(new Shape(2, 3, config.width()));
        NDArray mask = mask(new boolean[][] {{true, true, true}, {true, true, false}});
        if (name.equals(COPYING)) {
            return new NDList(tokens, mask, ids(new long[][] {{7, -1, 9}, {12, 3, 5}}));
        }
        return new NDList(tokens, mask);
    }

    private NDArray forward(TransformerDecoder decoder, NDArray ids, NDArray mask, NDList memory) {
        NDList in = new NDList(ids, mask);
        in.addAll(memory);
        // a fresh store: a store keeps the parameter arrays it handed out, and loading replaces
        // them
        return decoder.forward(new ParameterStore(manager, false), in, false).singletonOrThrow();
    }

    /**
     * Row 0 is a 4-token prompt, row 1 a 2-token prompt left-padded to 4; then three tokens a row
     * one at a time. At every step the cached logits equal a full forward over everything so far.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void cachedStepsGiveTheLogitsOfAFullRecompute(String name, DecoderConfig config) {
        TransformerDecoder decoder = decoder(config, 2, 7);
        NDList memory = memory(name, config);
        long[][] tokens = {{2, 5, 6, 7, 9, 10, 11}, {0, 0, 2, 8, 12, 13, 14}};
        boolean[][] real = {
            {true, true, true, true, true, true, true}, {false, false, true, true, true, true, true}
        };
        NDArray fullLogits = forward(decoder, ids(tokens), mask(real), memory); // (2, 7, V)
        try (DecoderCache cache =
                memory.isEmpty()
                        ? decoder.newCache(manager, 2)
                        : decoder.newCache(
                                store,
                                manager,
                                memory.get(0),
                                memory.get(1),
                                memory.size() > 2 ? memory.get(2) : null)) {
            int at = 0;
            for (int chunk : new int[] {4, 1, 1, 1}) {
                try (NDManager step = manager.newSubManager()) {
                    NDIndex range = new NDIndex(":, {}:{}", at, at + chunk);
                    NDArray ids = ids(tokens).get(range);
                    NDArray mask = mask(real).get(range);
                    ids.attach(step);
                    mask.attach(step);
                    NDArray logits = decoder.step(store, cache, ids, mask);
                    NDArray expected = fullLogits.get(range);
                    // padded positions of row 1 are never read, so only real ones are compared
                    for (int b = 0; b < 2; b++) {
                        for (int t = 0; t < chunk; t++) {
                            if (real[b][at + t]) {
                                assertArrayEquals(
                                        expected.get(b, t).toFloatArray(),
                                        logits.get(b, t).toFloatArray(),
                                        2e-5f,
                                        name + " row " + b + " position " + (at + t));
                            }
                        }
                    }
                }
                at += chunk;
            }
            assertEquals(7, cache.length());
        }
    }

    /** Row 1 above, left-padded in a batch, gives the logits it gives alone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void aLeftPaddedRowGivesItsLogitsAlone(String name, DecoderConfig config) {
        TransformerDecoder decoder = decoder(config, 2, 5);
        NDList memory = memory(name, config);
        NDArray padded =
                forward(
                        decoder,
                        ids(new long[][] {{2, 5, 6, 7, 9}, {0, 0, 2, 8, 12}}),
                        mask(
                                new boolean[][] {
                                    {true, true, true, true, true}, {false, false, true, true, true}
                                }),
                        memory);
        NDList memoryOfRow1 = new NDList();
        memory.forEach(m -> memoryOfRow1.add(m.get(new NDIndex("1:2"))));
        NDArray alone =
                forward(
                        decoder,
                        ids(new long[][] {{2, 8, 12}}),
                        mask(new boolean[][] {{true, true, true}}),
                        memoryOfRow1);
        if (config.attention() == dev.braid.text.encoder.AttentionPattern.PREFIX) {
            return; // the prefix is a count of leading positions, so padding moves it
        }
        assertTrue(
                padded.get(new NDIndex("1, 2:, :"))
                        .allClose(alone.get(new NDIndex("0")), 1e-5, 2e-5, false),
                name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void logitAtTDoesNotDependOnLaterTokens(String name, DecoderConfig config) {
        TransformerDecoder decoder = decoder(config, 1, 8);
        NDList memory = new NDList();
        memory(name, config).forEach(m -> memory.add(m.get("0:1")));
        boolean[][] real = new boolean[1][8];
        Arrays.fill(real[0], true);
        NDArray a =
                forward(
                        decoder,
                        ids(new long[][] {{2, 5, 6, 7, 8, 9, 10, 11}}),
                        mask(real),
                        memory);
        NDArray b =
                forward(
                        decoder,
                        ids(new long[][] {{2, 5, 6, 7, 8, 19, 18, 17}}),
                        mask(real),
                        memory);
        // ChatGLM's first 4 positions are its bidirectional prefix; all changes come after it
        NDIndex before = new NDIndex(":, :5, :");
        assertTrue(a.get(before).allClose(b.get(before), 1e-6, 1e-6, false), name);
        NDIndex changed = new NDIndex(":, 5, :");
        assertFalse(a.get(changed).allClose(b.get(changed), 1e-3, 1e-3, false), name);
    }

    @Test
    void prefixPositionsSeeEachOtherAndTheRestIsCausal() {
        TransformerDecoder decoder = decoder(DecoderConfig.chatGlm(VOCAB), 1, 6);
        boolean[][] real = {{true, true, true, true, true, true}};
        NDArray a =
                forward(decoder, ids(new long[][] {{2, 5, 6, 7, 8, 9}}), mask(real), new NDList());
        NDArray b =
                forward(decoder, ids(new long[][] {{2, 5, 6, 15, 8, 9}}), mask(real), new NDList());
        // position 3 is in the 4-long prefix: position 0 sees it
        assertFalse(
                a.get(new NDIndex(":, 0, :"))
                        .allClose(b.get(new NDIndex(":, 0, :")), 1e-3, 1e-3, false));
        NDArray c =
                forward(decoder, ids(new long[][] {{2, 5, 6, 7, 16, 9}}), mask(real), new NDList());
        // position 4 is after the prefix: positions 0..3 do not see it
        assertTrue(
                a.get(new NDIndex(":, :4, :"))
                        .allClose(c.get(new NDIndex(":, :4, :")), 1e-6, 1e-6, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void getOutputShapesEqualsAForwardsShape(String name, DecoderConfig config) {
        TransformerDecoder decoder = decoder(config, 2, 5);
        NDList memory = memory(name, config);
        boolean[][] real = new boolean[2][5];
        Arrays.fill(real[0], true);
        Arrays.fill(real[1], true);
        NDArray logits =
                forward(
                        decoder,
                        ids(new long[][] {{2, 3, 4, 5, 6}, {2, 7, 8, 9, 0}}),
                        mask(real),
                        memory);
        Shape[] declared =
                decoder.getOutputShapes(
                        new Shape[] {
                            new Shape(2, 5), new Shape(2, 5), new Shape(2, 3, 32), new Shape(2, 3)
                        });
        assertEquals(new Shape(2, 5, VOCAB), logits.getShape());
        assertEquals(declared[0], logits.getShape());
        assertTrue(logits.isNaN().none().getBoolean());
    }

    @Test
    void parametersSurviveASaveLoadRoundTrip() throws Exception {
        DecoderConfig config = DecoderConfig.originalTransformer(VOCAB);
        TransformerDecoder original = decoder(config, 2, 4);
        NDList memory = memory("originalTransformer", config);
        NDArray ids = ids(new long[][] {{2, 3, 4, 5}, {2, 6, 7, 8}});
        boolean[][] real = {{true, true, true, true}, {true, true, true, false}};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.saveParameters(new DataOutputStream(bytes));
        Engine.getInstance().setRandomSeed(99);
        TransformerDecoder copy = decoder(config, 2, 4);
        NDArray before = forward(original, ids, mask(real), memory);
        assertFalse(before.allClose(forward(copy, ids, mask(real), memory)));
        copy.loadParameters(
                manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        NDArray after = forward(copy, ids, mask(real), memory);
        assertTrue(
                before.allClose(after, 0, 0, false),
                "max difference " + before.sub(after).abs().max().getFloat());
    }

    /**
     * DeepNet's scales for a 2-layer decoder-only model: alpha = (2 * 2)^1/4 = sqrt 2, beta = (8 *
     * 2)^-1/4 = 1/2; the value half of the key-value projection starts at half its Post-LN value,
     * the key half unchanged.
     */
    @Test
    void deepNormScalesTheValueInitialisationByBeta() {
        DeepNorm scales = DeepNorm.decoderOnly(2);
        assertEquals(Math.sqrt(2), scales.alpha(), 1e-6);
        assertEquals(0.5, scales.beta(), 1e-6);
        DecoderConfig deep = DecoderConfig.chatGlm(VOCAB);
        DecoderConfig post = deep.toBuilder().placement(NormPlacement.POST_LN).build();
        Engine.getInstance().setRandomSeed(5);
        NDArray deepWeight = keyValueWeight(decoder(deep, 1, 4));
        Engine.getInstance().setRandomSeed(5);
        NDArray postWeight = keyValueWeight(decoder(post, 1, 4));
        int width = deep.width();
        NDIndex keys = new NDIndex(":{}", width);
        NDIndex values = new NDIndex("{}:", width);
        assertTrue(deepWeight.get(keys).allClose(postWeight.get(keys), 0, 0, false));
        float[] postValues = postWeight.get(values).toFloatArray();
        float[] half = new float[postValues.length];
        for (int i = 0; i < postValues.length; i++) {
            half[i] = postValues[i] / 2;
        }
        assertArrayEquals(half, deepWeight.get(values).toFloatArray(), 1e-7f);
    }

    private static NDArray keyValueWeight(TransformerDecoder decoder) {
        return decoder.getParameters().stream()
                .filter(
                        p ->
                                p.getKey().contains("selfAttention")
                                        && p.getKey().contains("keyValue_weight"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .getArray();
    }

    @Test
    void badConfigurationsNameFieldAndValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                DecoderConfig.tiny(VOCAB).toBuilder()
                                        .attention(
                                                dev.braid.text.encoder.AttentionPattern
                                                        .BIDIRECTIONAL)
                                        .build());
        assertTrue(e.getMessage().contains("attention (BIDIRECTIONAL)"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                DecoderConfig.tiny(VOCAB).toBuilder()
                                        .position(PositionEncoding.ROPE)
                                        .width(30)
                                        .heads(2)
                                        .build());
        assertTrue(e.getMessage().contains("ROPE needs an even head width"), e.getMessage());
    }

    /**
     * A copying decoder's outputs are log-probabilities whose mass on the memory's tokens grows
     * when its gate favours copying, and ids it was not configured for are refused.
     */
    @Test
    void aCopyingDecoderAnswersADistributionAndRefusesIdsWhenItDoesNotCopy() {
        DecoderConfig copying =
                DecoderConfig.gpt2(VOCAB).toBuilder()
                        .crossAttention(CrossAttention.EVERY_LAYER)
                        .copyFromMemory(true)
                        .build();
        TransformerDecoder decoder = decoder(copying, 2, 4);
        NDList memory = memory(COPYING, copying);
        NDArray ids = ids(new long[][] {{2, 5, 6, 7}, {2, 8, 9, 10}});
        NDArray mask = mask(new boolean[][] {{true, true, true, true}, {true, true, true, true}});
        NDArray logProbabilities = forward(decoder, ids, mask, memory);
        NDArray total = logProbabilities.exp().sum(new int[] {-1});
        assertTrue(
                total.allClose(manager.ones(total.getShape()), 1e-4, 1e-4, false),
                "probabilities sum to 1: " + Arrays.toString(total.toFloatArray()));
        // without ids the same decoder answers the vocabulary's log-softmax alone
        NDArray vocabularyOnly =
                forward(decoder, ids, mask, new NDList(memory.get(0), memory.get(1)));
        float[] withIds = logProbabilities.get(0, 3).exp().toFloatArray();
        float[] without = vocabularyOnly.get(0, 3).exp().toFloatArray();
        // row 0's memory offers 7 and 9 (position 1 has no token): their mass rises, 3's falls
        assertTrue(withIds[7] + withIds[9] > without[7] + without[9], "the memory's ids gain mass");
        assertTrue(withIds[3] < without[3], "a token not in row 0's memory loses mass");
        TransformerDecoder plain =
                decoder(
                        DecoderConfig.gpt2(VOCAB).toBuilder()
                                .crossAttention(CrossAttention.EVERY_LAYER)
                                .build(),
                        2,
                        4);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> forward(plain, ids, mask, memory));
        assertTrue(e.getMessage().contains("copyFromMemory"), e.getMessage());
        NDList tooLarge =
                new NDList(
                        memory.get(0), memory.get(1), ids(new long[][] {{7, -1, 9}, {12, 20, 5}}));
        IllegalArgumentException outside =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> forward(decoder, ids, mask, tooLarge));
        assertTrue(
                outside.getMessage().contains("below the vocabulary size (20)"),
                outside.getMessage());
    }
}
