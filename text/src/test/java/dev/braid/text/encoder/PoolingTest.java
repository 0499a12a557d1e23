package dev.braid.text.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The masked mean is tested with {@code dev.braid.tensor.MaskedMean}. */
class PoolingTest {

    @Test
    void clsTakesPositionZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tokens =
                    manager.create(
                            new float[] {1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 9},
                            new Shape(2, 3, 2));
            assertArrayEquals(new float[] {1, 2, 5, 6}, Pooling.cls(tokens).toFloatArray());
        }
    }
}
