package dev.braid.audio.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpectrogramEncoderTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(42);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private SpectrogramEncoder encoder(AudioEncoderConfig config, int batch, int frames) {
        SpectrogramEncoder e = new SpectrogramEncoder(config);
        e.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(batch, config.mels(), frames),
                new Shape(batch));
        return e;
    }

    private NDList input(int mels, int frames, int[] lengths, long seed) {
        Random rng = new Random(seed);
        float[] x = new float[lengths.length * mels * frames];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return new NDList(
                manager.create(x, new Shape(lengths.length, mels, frames)),
                manager.create(lengths));
    }

    private NDList forward(SpectrogramEncoder e, NDList in) {
        return e.forward(new ParameterStore(manager, false), in, false);
    }

    static Stream<Arguments> configsAndWidths() {
        AudioEncoderConfig tiny = AudioEncoderConfig.tiny();
        return Stream.of(
                Arguments.of(tiny, 40, new int[] {40, 17, 1}),
                Arguments.of(tiny, 1, new int[] {1}),
                Arguments.of(tiny.withConvLayers(3).withTemporalBlocks(0), 33, new int[] {33, 9}),
                Arguments.of(tiny.withMels(20).withWidth(24), 101, new int[] {101, 50, 0}),
                Arguments.of(new AudioEncoderConfig(8, 4, 1, 12, 2, 5), 7, new int[] {7, 6}),
                Arguments.of(
                        new AudioEncoderConfig(16, 16, 2, 32, 0, 3, AudioFrontEnd.CONV1D),
                        40,
                        new int[] {40, 17, 1}),
                Arguments.of(
                        new AudioEncoderConfig(8, 4, 3, 12, 1, 3, AudioFrontEnd.CONV1D),
                        33,
                        new int[] {33, 9, 0}));
    }

    @ParameterizedTest
    @MethodSource("configsAndWidths")
    void outputShapesMatchARealForwardAndTheMaskFollowsLengths(
            AudioEncoderConfig config, int frames, int[] lengths) {
        SpectrogramEncoder e = encoder(config, lengths.length, frames);
        NDList in = input(config.mels(), frames, lengths, 1);

        NDList out = forward(e, in);
        Shape[] declared =
                e.getOutputShapes(new Shape[] {in.get(0).getShape(), in.get(1).getShape()});

        assertEquals(declared[0], out.get(0).getShape());
        assertEquals(declared[1], out.get(1).getShape());
        assertEquals(DataType.BOOLEAN, out.get(1).getDataType());
        // T' = ceil(F / 2^L), computed here by repeated halving with rounding up.
        long expectedTokens = frames;
        for (int i = 0; i < config.convLayers(); i++) {
            expectedTokens = (long) Math.ceil(expectedTokens / 2.0);
        }
        assertEquals(
                new Shape(lengths.length, expectedTokens, config.width()), out.get(0).getShape());
        boolean[] mask = out.get(1).toBooleanArray();
        for (int b = 0; b < lengths.length; b++) {
            int real = SpectrogramEncoder.outputFrames(lengths[b], config.convLayers());
            for (int t = 0; t < expectedTokens; t++) {
                assertEquals(
                        t < real,
                        mask[(int) (b * expectedTokens + t)],
                        "clip " + b + " token " + t);
            }
        }
        float[] tokens = out.get(0).toFloatArray();
        for (float v : tokens) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void outputFramesIsCeilOfRepeatedHalving() {
        assertEquals(0, SpectrogramEncoder.outputFrames(0, 2));
        assertEquals(1, SpectrogramEncoder.outputFrames(1, 2));
        assertEquals(1, SpectrogramEncoder.outputFrames(4, 2));
        assertEquals(2, SpectrogramEncoder.outputFrames(5, 2));
        assertEquals(26, SpectrogramEncoder.outputFrames(101, 2));
        assertEquals(13, SpectrogramEncoder.outputFrames(101, 3));
    }

    @Test
    void paddingNeverInfluencesARealToken() {
        paddingNeverInfluencesARealToken(AudioEncoderConfig.tiny().withTemporalBlocks(2));
    }

    @Test
    void paddingNeverInfluencesARealTokenOfTheOneDimensionalFrontEnd() {
        paddingNeverInfluencesARealToken(
                new AudioEncoderConfig(16, 8, 2, 32, 2, 3, AudioFrontEnd.CONV1D));
    }

    private void paddingNeverInfluencesARealToken(AudioEncoderConfig config) {
        int[] lengths = {37, 20, 0};
        SpectrogramEncoder e = encoder(config, 3, 64);
        NDList clean = input(config.mels(), 64, lengths, 3);
        // Same real frames, but the padding filled with large random values.
        float[] noisy = clean.get(0).toFloatArray();
        Random rng = new Random(9);
        for (int b = 0; b < 3; b++) {
            for (int m = 0; m < config.mels(); m++) {
                for (int t = lengths[b]; t < 64; t++) {
                    noisy[(b * config.mels() + m) * 64 + t] = (float) (100 * rng.nextGaussian());
                }
            }
        }
        NDList dirty = new NDList(manager.create(noisy, clean.get(0).getShape()), clean.get(1));

        float[] a = forward(e, clean).get(0).toFloatArray();
        float[] b = forward(e, dirty).get(0).toFloatArray();

        int tokens = SpectrogramEncoder.outputFrames(64, config.convLayers());
        for (int clip = 0; clip < 3; clip++) {
            int real = SpectrogramEncoder.outputFrames(lengths[clip], config.convLayers());
            for (int t = 0; t < tokens; t++) {
                for (int d = 0; d < config.width(); d++) {
                    int i = (clip * tokens + t) * config.width() + d;
                    if (t < real) {
                        assertEquals(a[i], b[i], 1e-5, "clip " + clip + " token " + t);
                    } else {
                        assertEquals(0f, b[i], 0f, "padding token must be zero");
                    }
                }
            }
        }
        // And a clip encoded alone, without any padding, gives the same real tokens.
        NDArray alone = clean.get(0).get("0:1, :, 0:37");
        float[] single =
                forward(e, new NDList(alone, manager.create(new int[] {37}))).get(0).toFloatArray();
        int real = SpectrogramEncoder.outputFrames(37, config.convLayers());
        for (int i = 0; i < real * config.width(); i++) {
            assertEquals(single[i], a[i], 1e-5);
        }
    }

    @Test
    void savedParametersReloadToIdenticalOutputs() throws Exception {
        AudioEncoderConfig config = AudioEncoderConfig.tiny();
        SpectrogramEncoder original = encoder(config, 2, 30);
        NDList in = input(config.mels(), 30, new int[] {30, 12}, 5);
        float[] expected = forward(original, in).get(0).toFloatArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.saveParameters(new DataOutputStream(bytes));

        Engine.getInstance().setRandomSeed(7);
        SpectrogramEncoder restored = encoder(config, 2, 30);
        assertFalse(Arrays.equals(expected, forward(restored, in).get(0).toFloatArray()));
        restored.loadParameters(
                manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertArrayEquals(expected, forward(restored, in).get(0).toFloatArray());
    }

    @Test
    void lengthsOutsideTheFramesAreClamped() {
        SpectrogramEncoder e = encoder(AudioEncoderConfig.tiny(), 2, 20);
        NDList outside = input(16, 20, new int[] {25, -3}, 4);
        NDList inside = new NDList(outside.get(0), manager.create(new int[] {20, 0}));
        NDList a = forward(e, outside);
        NDList b = forward(e, inside);
        assertArrayEquals(b.get(0).toFloatArray(), a.get(0).toFloatArray(), 0f);
        assertArrayEquals(b.get(1).toBooleanArray(), a.get(1).toBooleanArray());
    }

    @Test
    void badConfigurationsAndInputsAreRejectedWithTheirValues() {
        assertMessage(
                "channels (0) must be positive", () -> new AudioEncoderConfig(16, 0, 2, 32, 1, 3));
        assertMessage(
                "convLayers (0) must be in [1, 6]",
                () -> new AudioEncoderConfig(16, 8, 0, 32, 1, 3));
        assertMessage(
                "temporalKernel (4) must be odd", () -> new AudioEncoderConfig(16, 8, 2, 32, 1, 4));
        assertMessage(
                "temporalBlocks (-1) must be >= 0",
                () -> new AudioEncoderConfig(16, 8, 2, 32, -1, 3));
        assertMessage(
                "kernel (2) must be odd",
                () -> TemporalConvBlock.builder().setWidth(4).optKernel(2).build());

        SpectrogramEncoder e = encoder(AudioEncoderConfig.tiny(), 2, 20);
        assertMessage(
                "must be (B, mels (16), F)", () -> forward(e, input(12, 20, new int[] {20, 3}, 1)));
        assertMessage(
                "lengths shape (3) must be (B) with B = 2",
                () ->
                        forward(
                                e,
                                new NDList(
                                        input(16, 20, new int[] {1, 2}, 1).get(0),
                                        manager.create(new int[] {1, 2, 3}))));
    }

    private static void assertMessage(
            String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, e);
        assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
    }
}
