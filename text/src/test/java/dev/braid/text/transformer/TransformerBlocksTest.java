package dev.braid.text.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hand-computed values for the shared Transformer blocks. */
class TransformerBlocksTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(3);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray run(Block block, NDArray... inputs) {
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), false).get(0);
    }

    private static void set(Block block, String name, float... values) {
        parameter(block, name).set(values);
    }

    /** DJL prefixes child parameter names with the child's position ("02query_weight"). */
    private static NDArray parameter(Block block, String name) {
        return block.getParameters().stream()
                .filter(p -> p.getKey().replaceFirst("^\\d+", "").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name))
                .getValue()
                .getArray();
    }

    private static LayerConfig layer(int width, int heads, int hidden, FeedForwardKind ff) {
        return new LayerConfig(
                width, heads, hidden, NormKind.LAYER_NORM, NormPlacement.PRE_LN, ff, 0f);
    }

    @Test
    void layerNormOfOneTwoThree() {
        Norm norm = new Norm(NormKind.LAYER_NORM, 3);
        norm.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        // mean 2, variance 2/3: (x - 2) / sqrt(2/3 + 1e-5)
        float[] out =
                run(norm, manager.create(new float[] {1, 2, 3}, new Shape(1, 3))).toFloatArray();
        assertArrayEquals(new float[] {-1.2247357f, 0f, 1.2247357f}, out, 1e-4f);
    }

    @Test
    void rmsNormOfOneTwoThree() {
        Norm norm = new Norm(NormKind.RMS_NORM, 3);
        norm.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 3));
        // rms = sqrt((1 + 4 + 9) / 3) = 2.1602469
        float[] out =
                run(norm, manager.create(new float[] {1, 2, 3}, new Shape(1, 1, 3))).toFloatArray();
        assertArrayEquals(new float[] {0.46291f, 0.92582f, 1.38873f}, out, 1e-4f);
        assertEquals(1, norm.getParameters().size(), "RMSNorm has a scale and no shift");
    }

    @Test
    void attentionWithIdentityWeightsMatchesHandComputation() {
        MultiHeadAttention attention =
                new MultiHeadAttention(layer(2, 1, 4, FeedForwardKind.GELU), null);
        attention.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2), new Shape(1, 2, 2));
        set(attention, "query_weight", 1, 0, 0, 1);
        set(attention, "query_bias", 0, 0);
        set(attention, "keyValue_weight", 1, 0, 0, 1, 1, 0, 0, 1);
        set(attention, "keyValue_bias", 0, 0, 0, 0);
        set(attention, "output_weight", 1, 0, 0, 1);
        set(attention, "output_bias", 0, 0);
        NDArray x = manager.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2));
        // query 0 scores keys (1, 0) / sqrt(2): weights e^0.7071 / (e^0.7071 + 1) = 0.66976,
        // 0.33024
        float[] out = run(attention, x, x).toFloatArray();
        assertArrayEquals(new float[] {0.66976f, 0.33024f, 0.33024f, 0.66976f}, out, 1e-4f);

        NDArray mask = manager.create(new boolean[] {true, false}, new Shape(1, 2));
        float[] masked = run(attention, x, x, AttentionBias.keyPadding(mask)).toFloatArray();
        assertArrayEquals(new float[] {1, 0, 1, 0}, masked, 1e-5f, "only key 0 is visible");
    }

    @Test
    void attentionOverNothingIsFiniteNotNaN() {
        MultiHeadAttention attention =
                new MultiHeadAttention(layer(4, 2, 8, FeedForwardKind.GELU), null);
        attention.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4), new Shape(1, 3, 4));
        NDArray q = manager.randomNormal(new Shape(1, 2, 4));
        NDArray source = manager.randomNormal(new Shape(1, 3, 4));
        NDArray none = manager.create(new boolean[] {false, false, false}, new Shape(1, 3));
        NDArray out = run(attention, q, source, AttentionBias.keyPadding(none));
        assertEquals(new Shape(1, 2, 4), out.getShape());
        assertTrue(out.isNaN().logicalOr(out.isInfinite()).none().getBoolean());
    }

    @Test
    void swiGluOfTwoIsTwoTimesSiluOfTwo() {
        FeedForward ff = new FeedForward(layer(1, 1, 1, FeedForwardKind.SWIGLU));
        ff.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        set(ff, "in_weight", 1, 1);
        set(ff, "in_bias", 0, 0);
        set(ff, "out_weight", 1);
        set(ff, "out_bias", 0);
        float silu2 = (float) (2 / (1 + Math.exp(-2)));
        assertEquals(
                2 * silu2,
                run(ff, manager.create(new float[] {2}, new Shape(1, 1))).getFloat(0, 0),
                1e-5f);
    }

    @ParameterizedTest
    @EnumSource(FeedForwardKind.class)
    void feedForwardKeepsShapeAndHasTheRightParameters(FeedForwardKind kind) {
        FeedForward ff = new FeedForward(layer(8, 2, 16, kind));
        ff.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 8));
        NDArray out = run(ff, manager.randomNormal(new Shape(2, 3, 8)));
        assertEquals(new Shape(2, 3, 8), out.getShape());
        long hidden = kind.gated() ? 32 : 16;
        assertEquals(new Shape(hidden, 8), parameter(ff, "in_weight").getShape());
    }

    @Test
    void ropeRotatesAPairByItsPosition() {
        RotaryEmbedding rope = new RotaryEmbedding(2);
        NDArray x =
                manager.create(
                        new float[] {1, 0, 1, 0}, new Shape(1, 1, 2, 2)); // (1,0) at t=0 and t=1
        float[] out = rope.apply(x).toFloatArray();
        assertArrayEquals(new float[] {1, 0, (float) Math.cos(1), (float) Math.sin(1)}, out, 1e-6f);
    }

    @Test
    void ropeScoresDependOnlyOnRelativeOffset() {
        int length = 12;
        int headWidth = 8;
        RotaryEmbedding rope = new RotaryEmbedding(headWidth);
        NDArray u = manager.randomNormal(new Shape(1, 1, 1, headWidth)).repeat(2, length);
        NDArray w = manager.randomNormal(new Shape(1, 1, 1, headWidth)).repeat(2, length);
        NDArray q = rope.apply(u).get(0).get(0); // (T, Dh): u rotated to each position
        NDArray k = rope.apply(w).get(0).get(0);
        float[][] scores = new float[length][];
        NDArray all = q.matMul(k.transpose());
        for (int i = 0; i < length; i++) {
            scores[i] = all.get(i).toFloatArray();
        }
        for (int offset = -3; offset <= 3; offset++) {
            float reference = scores[5][5 + offset];
            for (int i = 3; i + 3 < length; i++) {
                assertEquals(
                        reference, scores[i][i + offset], 1e-4f, "offset " + offset + " at " + i);
            }
        }
        assertNotEquals(
                scores[5][5], scores[5][6], 1e-3f, "different offsets give different scores");
    }

    @Test
    void alibiPenalisesDistanceWithPerHeadSlopes() {
        float[] bias = AttentionBias.alibi(manager, 2, 3).toFloatArray();
        // H=2: slopes 2^-4 = 0.0625 and 2^-8 = 0.00390625; entry (h, i=0, j=2) is -slope * 2
        assertEquals(-0.125f, bias[2], 1e-7f);
        assertEquals(-0.0078125f, bias[9 + 2], 1e-7f);
        assertEquals(0f, bias[4], 0f); // (h=0, i=1, j=1)
    }

    @Test
    void prefixBiasAllowsThePrefixAndCausalRest() {
        float[] bias = AttentionBias.prefix(manager, 3, 2).toFloatArray();
        float b = AttentionBias.BLOCKED;
        assertArrayEquals(new float[] {0, 0, b, 0, 0, b, 0, 0, 0}, bias);
    }

    @Test
    void layerConfigValidationNamesFieldAndValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new LayerConfig(
                                        30,
                                        4,
                                        8,
                                        NormKind.RMS_NORM,
                                        NormPlacement.POST_LN,
                                        FeedForwardKind.RELU,
                                        0));
        assertEquals("width (30) must be divisible by heads (4)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding(3));
    }
}
