package dev.braid.vision.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class ResidualBlockTest {

    @Test
    void identityKernelsGiveAHandComputedOutput() {
        // One channel, both 3x3 kernels the identity (centre tap 1), BatchNorm in inference mode
        // with running mean 0 and variance 1 (so it divides by sqrt(1 + 1e-5), about 1).
        // For x > 0: main path relu(x) = x, plus the identity shortcut x, then relu: 2x.
        // For x < 0: main path relu(x) = 0, plus x, then relu: 0.
        ResidualBlock block =
                ResidualBlock.builder().setInputChannels(1).setOutputChannels(1).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 1, 1, 4);
            block.initialize(manager, DataType.FLOAT32, shape);
            float[] identity = {0, 0, 0, 0, 1, 0, 0, 0, 0};
            block.getParameters()
                    .forEach(
                            p -> {
                                if (p.getKey().contains("conv")) { // 01conv1_weight, 03conv2_weight
                                    p.getValue().getArray().set(FloatBuffer.wrap(identity));
                                }
                            });
            NDArray x = manager.create(new float[] {-1, 2, -3, 4}, shape);
            NDArray y =
                    block.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .singletonOrThrow();
            assertArrayEquals(new float[] {0, 4, 0, 8}, y.toFloatArray(), 1e-3f);
        }
    }

    @Test
    void stridedBlockHalvesTheGridAndMatchesGetOutputShapes() {
        ResidualBlock block =
                ResidualBlock.builder()
                        .setInputChannels(2)
                        .setOutputChannels(3)
                        .optStride(2)
                        .optNonlinearity(Nonlinearity.GELU)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 2, 5, 6);
            block.initialize(manager, DataType.FLOAT32, shape);
            NDArray y =
                    block.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(shape)),
                                    false)
                            .singletonOrThrow();
            assertEquals(new Shape(2, 3, 3, 3), y.getShape()); // ceil(5/2), ceil(6/2)
            assertEquals(y.getShape(), block.getOutputShapes(new Shape[] {shape})[0]);
        }
    }

    @Test
    void builderNamesTheMissingSetting() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ResidualBlock.builder().setOutputChannels(4).build());
        assertEquals("inputChannels (0) must be positive; call setInputChannels", e.getMessage());
    }
}
