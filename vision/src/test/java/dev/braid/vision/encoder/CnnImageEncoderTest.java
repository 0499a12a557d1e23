package dev.braid.vision.encoder;

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
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CnnImageEncoderTest {

    static Stream<Arguments> configsAndSizes() {
        ImageEncoderConfig tiny = ImageEncoderConfig.tiny();
        ImageEncoderConfig strided =
                new ImageEncoderConfig(
                        3, 4, 2, List.of(4, 8, 8), List.of(1, 2, 1), 8, Nonlinearity.GELU);
        ImageEncoderConfig plain =
                new ImageEncoderConfig(
                        3,
                        32,
                        2,
                        List.of(64, 64),
                        List.of(1, 1),
                        16,
                        Nonlinearity.RELU,
                        StageBlock.PLAIN);
        // Expected token counts by hand: conv 3x3 pad 1 stride s maps n to ceil(n / s).
        return Stream.of(
                Arguments.of(tiny, 16, 16, 8 * 8), // 16 -> stem 16 -> stage2 8
                Arguments.of(tiny, 15, 9, 8 * 5), // 15 -> 8, 9 -> 5
                Arguments.of(strided, 32, 32, 4 * 4), // 32 -> 16 -> 8 -> 4
                Arguments.of(strided, 20, 12, 3 * 2), // 20 -> 10 -> 5 -> 3; 12 -> 6 -> 3 -> 2
                // plain: every stage halves, the first too: 64 -> stem 32 -> 16 -> 8
                Arguments.of(plain, 64, 64, 8 * 8),
                Arguments.of(plain, 20, 12, 3 * 2)); // 20 -> 10 -> 5 -> 3; 12 -> 6 -> 3 -> 2
    }

    @ParameterizedTest
    @MethodSource("configsAndSizes")
    void outputShapesMatchForwardAndTheContract(
            ImageEncoderConfig config, int height, int width, int tokens) {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(2, config.inputChannels(), height, width);
            CnnImageEncoder encoder = new CnnImageEncoder(config);
            encoder.initialize(manager, DataType.FLOAT32, input);
            NDList out =
                    encoder.forward(
                            new ParameterStore(manager, false),
                            new NDList(manager.randomNormal(input)),
                            false);
            assertEquals(new Shape(2, tokens, config.width()), out.get(0).getShape());
            assertEquals(new Shape(2, tokens), out.get(1).getShape());
            assertEquals(DataType.FLOAT32, out.get(0).getDataType());
            assertEquals(DataType.BOOLEAN, out.get(1).getDataType());
            assertTrue(out.get(1).all().getBoolean(), "mask must be all true");
            assertArrayEquals(
                    new Shape[] {out.get(0).getShape(), out.get(1).getShape()},
                    encoder.getOutputShapes(new Shape[] {input}));
        }
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs() throws Exception {
        ImageEncoderConfig config = ImageEncoderConfig.tiny();
        Shape input = new Shape(2, 1, 12, 12);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            CnnImageEncoder trained = new CnnImageEncoder(config);
            trained.initialize(manager, DataType.FLOAT32, input);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray images = manager.randomNormal(input);
            // A training-mode pass moves the BatchNorm running statistics off their defaults.
            trained.forward(store, new NDList(images), true);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));

            Engine.getInstance().setRandomSeed(2);
            CnnImageEncoder restored = new CnnImageEncoder(config);
            restored.initialize(manager, DataType.FLOAT32, input);
            NDArray expected = trained.forward(store, new NDList(images), false).get(0);
            NDArray before = restored.forward(store, new NDList(images), false).get(0);
            assertNotEquals(expected, before, "differently seeded encoders should differ");

            restored.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            // A ParameterStore caches the arrays it has handed out: use a fresh one after loading.
            NDArray after =
                    restored.forward(new ParameterStore(manager, false), new NDList(images), false)
                            .get(0);
            assertEquals(expected, after);
        }
    }

    @Test
    void anAbsentImageGetsAnAllFalseMaskAndThePresentOneAllTrue() {
        Shape input = new Shape(2, 1, 12, 12);
        try (NDManager manager = NDManager.newBaseManager()) {
            CnnImageEncoder encoder = new CnnImageEncoder(ImageEncoderConfig.tiny());
            encoder.initialize(manager, DataType.FLOAT32, input, new Shape(2));
            NDList out =
                    encoder.forward(
                            new ParameterStore(manager, false),
                            new NDList(
                                    manager.randomNormal(input),
                                    manager.create(new boolean[] {true, false})),
                            false);
            boolean[] mask = out.get(1).toBooleanArray();
            int tokens = mask.length / 2;
            for (int t = 0; t < tokens; t++) {
                assertTrue(mask[t], "present image, token " + t);
                assertTrue(!mask[tokens + t], "absent image, token " + t);
            }
        }
    }

    @Test
    void rejectsImagesWithTheWrongChannelCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CnnImageEncoder encoder = new CnnImageEncoder(ImageEncoderConfig.tiny());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    encoder.initialize(
                                            manager, DataType.FLOAT32, new Shape(2, 3, 16, 16)));
            assertTrue(e.getMessage().contains("(2, 3, 16, 16)"), e.getMessage());
            assertTrue(e.getMessage().contains("inputChannels"), e.getMessage());
        }
    }

    @Test
    void tokensAreTheProjectedGridPlusThePositionCode() {
        // With every convolution weight and bias zero, BatchNorm in inference mode maps 0 to its
        // shift (0), so the
        // grid is all zeros and the tokens are exactly the position code.
        ImageEncoderConfig config =
                new ImageEncoderConfig(1, 2, 1, List.of(2), List.of(1), 4, Nonlinearity.RELU);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(1, 1, 2, 3);
            CnnImageEncoder encoder = new CnnImageEncoder(config);
            encoder.initialize(manager, DataType.FLOAT32, input);
            encoder.getParameters()
                    .forEach(
                            p -> {
                                String name = p.getKey();
                                if (name.endsWith("weight") || name.endsWith("bias")) {
                                    p.getValue().getArray().muli(0);
                                }
                            });
            NDArray tokens =
                    encoder.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(input)),
                                    false)
                            .get(0);
            // Token 5 is row 1, column 2: (sin 1, cos 1, sin 2, cos 2).
            float[] token5 = tokens.get("0, 5").toFloatArray();
            assertArrayEquals(new float[] {0.84147f, 0.54030f, 0.90930f, -0.41615f}, token5, 1e-4f);
        }
    }
}
