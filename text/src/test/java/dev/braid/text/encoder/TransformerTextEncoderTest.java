package dev.braid.text.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TransformerTextEncoderTest {

    private static final int VOCAB = 50;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<TextEncoderConfig> variants() {
        TextEncoderConfig base = TextEncoderConfig.tiny(VOCAB).toBuilder().maxLength(16).build();
        List<TextEncoderConfig> all = new ArrayList<>();
        for (PositionEncoding p : PositionEncoding.values()) {
            for (NormKind n : NormKind.values()) {
                for (NormPlacement pl : NormPlacement.values()) {
                    for (FeedForwardKind f : FeedForwardKind.values()) {
                        all.add(
                                base.toBuilder()
                                        .position(p)
                                        .norm(n)
                                        .placement(pl)
                                        .feedForward(f)
                                        .build());
                    }
                }
            }
        }
        all.add(base.toBuilder().attention(AttentionPattern.CAUSAL).build());
        all.add(base.toBuilder().attention(AttentionPattern.PREFIX).prefixLength(3).build());
        return all.stream();
    }

    private TransformerTextEncoder encoder(TextEncoderConfig config, long batch, long length) {
        TransformerTextEncoder encoder = new TransformerTextEncoder(config);
        encoder.initialize(
                manager, DataType.FLOAT32, new Shape(batch, length), new Shape(batch, length));
        return encoder;
    }

    private NDList forward(TransformerTextEncoder encoder, long[] ids, boolean[] mask, int batch) {
        Shape shape = new Shape(batch, ids.length / batch);
        NDList in = new NDList(manager.create(ids, shape), manager.create(mask, shape));
        return encoder.forward(new ParameterStore(manager, false), in, false);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyVariantGivesContractShapesMatchingGetOutputShapes(TextEncoderConfig config) {
        TransformerTextEncoder encoder = encoder(config, 2, 5);
        long[] ids = {2, 7, 8, 9, 3, 2, 10, 3, 0, 0};
        boolean[] mask = {true, true, true, true, true, true, true, true, false, false};
        NDList out = forward(encoder, ids, mask, 2);
        Shape[] declared = encoder.getOutputShapes(new Shape[] {new Shape(2, 5), new Shape(2, 5)});
        assertEquals(new Shape(2, 5, 32), out.get(0).getShape());
        assertEquals(declared[0], out.get(0).getShape());
        assertEquals(declared[1], out.get(1).getShape());
        assertEquals(DataType.BOOLEAN, out.get(1).getDataType());
        assertTrue(out.get(0).isInfinite().logicalOr(out.get(0).isNaN()).none().getBoolean());
    }

    @ParameterizedTest
    @EnumSource(PositionEncoding.class)
    void tokensInPaddingDoNotChangeRealPositions(PositionEncoding position) {
        TransformerTextEncoder encoder =
                encoder(TextEncoderConfig.tiny(VOCAB).toBuilder().position(position).build(), 1, 6);
        boolean[] mask = {true, true, true, true, false, false};
        NDArray a = forward(encoder, new long[] {2, 11, 12, 3, 0, 0}, mask, 1).get(0);
        NDArray b = forward(encoder, new long[] {2, 11, 12, 3, 40, 17}, mask, 1).get(0);
        NDIndex real = new NDIndex(":, :4, :");
        assertTrue(a.get(real).allClose(b.get(real), 1e-5, 1e-5, false));
        assertEquals(
                0f,
                b.get(new NDIndex(":, 4:, :")).abs().sum().getFloat(),
                "padding outputs are zero");
        assertTrue(a.get(real).abs().sum().getFloat() > 0);
    }

    @ParameterizedTest
    @EnumSource(PositionEncoding.class)
    void causalPositionDoesNotSeeTheFuture(PositionEncoding position) {
        TextEncoderConfig config =
                TextEncoderConfig.tiny(VOCAB).toBuilder()
                        .position(position)
                        .attention(AttentionPattern.CAUSAL)
                        .build();
        TransformerTextEncoder encoder = encoder(config, 1, 6);
        boolean[] mask = {true, true, true, true, true, true};
        NDArray a = forward(encoder, new long[] {2, 11, 12, 13, 14, 3}, mask, 1).get(0);
        NDArray b = forward(encoder, new long[] {2, 11, 12, 30, 31, 32}, mask, 1).get(0);
        assertTrue(
                a.get(new NDIndex(":, :3, :"))
                        .allClose(b.get(new NDIndex(":, :3, :")), 1e-5, 1e-5, false));
        assertTrue(
                !a.get(new NDIndex(":, 3, :"))
                        .allClose(b.get(new NDIndex(":, 3, :")), 1e-3, 1e-3, false),
                "position 3 itself changed, so its output must change");
    }

    @Test
    void bidirectionalPositionSeesTheFuture() {
        TransformerTextEncoder encoder = encoder(TextEncoderConfig.tiny(VOCAB), 1, 4);
        boolean[] mask = {true, true, true, true};
        NDArray a = forward(encoder, new long[] {2, 11, 12, 3}, mask, 1).get(0);
        NDArray b = forward(encoder, new long[] {2, 11, 40, 3}, mask, 1).get(0);
        assertTrue(
                !a.get(new NDIndex(":, 0, :"))
                        .allClose(b.get(new NDIndex(":, 0, :")), 1e-3, 1e-3, false));
    }

    @Test
    void prefixPositionsSeeEachOtherButNotTheSuffix() {
        TextEncoderConfig config =
                TextEncoderConfig.tiny(VOCAB).toBuilder()
                        .attention(AttentionPattern.PREFIX)
                        .prefixLength(3)
                        .build();
        TransformerTextEncoder encoder = encoder(config, 1, 6);
        boolean[] mask = {true, true, true, true, true, true};
        NDArray a = forward(encoder, new long[] {2, 11, 12, 13, 14, 3}, mask, 1).get(0);
        NDArray future = forward(encoder, new long[] {2, 11, 12, 13, 40, 41}, mask, 1).get(0);
        NDArray insidePrefix = forward(encoder, new long[] {2, 11, 40, 13, 14, 3}, mask, 1).get(0);
        assertTrue(
                a.get(new NDIndex(":, :4, :"))
                        .allClose(future.get(new NDIndex(":, :4, :")), 1e-5, 1e-5, false));
        // position 0 sees position 2 because both are in the prefix
        assertTrue(
                !a.get(new NDIndex(":, 0, :"))
                        .allClose(insidePrefix.get(new NDIndex(":, 0, :")), 1e-3, 1e-3, false));
    }

    @Test
    void rowWithNoRealTokenGivesFiniteZeros() {
        TransformerTextEncoder encoder = encoder(TextEncoderConfig.tiny(VOCAB), 2, 3);
        NDArray out =
                forward(
                                encoder,
                                new long[] {2, 5, 3, 0, 0, 0},
                                new boolean[] {true, true, true, false, false, false},
                                2)
                        .get(0);
        assertTrue(out.isNaN().none().getBoolean());
        assertEquals(0f, out.get(1).abs().sum().getFloat());
    }

    @Test
    void sinusoidsMatchTheFormulaAtAKnownPoint() {
        NDArray table = TransformerTextEncoder.sinusoids(manager, 3, 4);
        // t=2: features 0,1 use angle 2; features 2,3 use angle 2/10000^(2/4) = 0.02
        float[] expected = {
            (float) Math.sin(2), (float) Math.cos(2), (float) Math.sin(0.02), (float) Math.cos(0.02)
        };
        assertArrayEquals(expected, table.get(2).toFloatArray(), 1e-6f);
    }

    @Test
    void parametersSurviveASaveLoadRoundTrip() throws Exception {
        TextEncoderConfig config =
                TextEncoderConfig.tiny(VOCAB).toBuilder()
                        .position(PositionEncoding.LEARNED)
                        .build();
        TransformerTextEncoder original = encoder(config, 1, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.saveParameters(new DataOutputStream(bytes));
        Engine.getInstance().setRandomSeed(99);
        TransformerTextEncoder copy = encoder(config, 1, 4);
        long[] ids = {2, 9, 10, 3};
        boolean[] mask = {true, true, true, true};
        assertTrue(
                !forward(original, ids, mask, 1)
                        .get(0)
                        .allClose(forward(copy, ids, mask, 1).get(0)));
        copy.loadParameters(
                manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(
                forward(original, ids, mask, 1)
                        .get(0)
                        .allClose(forward(copy, ids, mask, 1).get(0), 0, 0, false));
    }

    @Test
    void idsOutOfVocabularyAreRejectedNamingTheRange() {
        TransformerTextEncoder encoder = encoder(TextEncoderConfig.tiny(VOCAB), 1, 3);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                forward(
                                        encoder,
                                        new long[] {2, 50, 3},
                                        new boolean[] {true, true, true},
                                        1));
        assertTrue(
                e.getMessage().contains("[0, 50)") && e.getMessage().contains("50"),
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> forward(encoder, new long[] {2, -1, 3}, new boolean[] {true, true, true}, 1));
    }

    @Test
    void mismatchedMaskShapeIsRejected() {
        TransformerTextEncoder encoder = encoder(TextEncoderConfig.tiny(VOCAB), 1, 3);
        NDList in =
                new NDList(
                        manager.create(new long[] {2, 5, 3}, new Shape(1, 3)),
                        manager.create(new boolean[] {true, true}, new Shape(1, 2)));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> encoder.forward(new ParameterStore(manager, false), in, false));
        assertTrue(
                e.getMessage().contains("mask shape (1, 2) must equal ids shape (1, 3)"),
                e.getMessage());
    }

    @Test
    void sequenceLongerThanMaxLengthIsRejected() {
        TransformerTextEncoder encoder =
                encoder(TextEncoderConfig.tiny(VOCAB).toBuilder().maxLength(4).build(), 1, 4);
        long[] ids = {2, 5, 6, 7, 8, 3};
        boolean[] mask = new boolean[6];
        java.util.Arrays.fill(mask, true);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> forward(encoder, ids, mask, 1));
        assertTrue(e.getMessage().contains("length (6) exceeds maxLength (4)"), e.getMessage());
    }

    @Test
    void badConfigurationsNameFieldAndValue() {
        TextEncoderConfig tiny = TextEncoderConfig.tiny(VOCAB);
        assertMessage(
                "vocabularySize (0) must be positive", () -> TextEncoderConfig.builder().build());
        assertMessage(
                "maxLength (0) must be at least 2", () -> tiny.toBuilder().maxLength(0).build());
        assertMessage(
                "width (32) must be divisible by heads (3)",
                () -> tiny.toBuilder().width(32).heads(3).build());
        assertMessage(
                "prefixLength (0)",
                () -> tiny.toBuilder().attention(AttentionPattern.PREFIX).build());
        assertMessage("prefixLength (3)", () -> tiny.toBuilder().prefixLength(3).build());
        assertMessage("dropout (1.5)", () -> tiny.toBuilder().dropout(1.5f).build());
        assertMessage(
                "ROPE needs an even head width",
                () -> tiny.toBuilder().width(30).heads(2).position(PositionEncoding.ROPE).build());
    }

    private static void assertMessage(
            String expected, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
