package dev.braid.vision.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CnnImageEncoderTest {

    static Stream<Arguments> configsAndSizes() {
        ImageEncoderConfig tiny = ImageEncoderConfig.tiny();
        ImageEncoderConfig strided =
                new ImageEncoderConfig(
                        3, 4, 2, List.of(4, 8, 8), List.of(1, 2, 1), 8, Nonlinearity.GELU);
        // Expected token counts by hand: conv 3x3 pad 1 stride s maps n to ceil(n / s).
        return Stream.of(
                Arguments.of(tiny, 16, 16, 8 * 8), // 16 -> stem 16 -> stage2 8
                Arguments.of(tiny, 15, 9, 8 * 5), // 15 -> 8, 9 -> 5
                Arguments.of(strided, 32, 32, 4 * 4), // 32 -> 16 -> 8 -> 4
                Arguments.of(strided, 20, 12, 3 * 2)); // 20 -> 10 -> 5 -> 3; 12 -> 6 -> 3 -> 2
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
}
