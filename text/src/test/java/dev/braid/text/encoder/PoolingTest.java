package dev.braid.text.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.tensor.MaskedMean;
import org.junit.jupiter.api.Test;

class PoolingTest {

    @Test
    void clsTakesPositionZeroAndMaskedMeanSkipsPadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // sample 0: tokens (1,2) (3,4) (100,100 padded); sample 1: no real token
            NDArray tokens =
                    manager.create(
                            new float[] {1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 9},
                            new Shape(2, 3, 2));
            NDArray mask =
                    manager.create(
                            new boolean[] {true, true, false, false, false, false},
                            new Shape(2, 3));
            assertArrayEquals(new float[] {1, 2, 5, 6}, Pooling.cls(tokens).toFloatArray());
            assertArrayEquals(new float[] {2, 3, 0, 0}, MaskedMean.of(tokens, mask).toFloatArray());
        }
    }
}
