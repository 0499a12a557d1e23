package dev.braid.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MaskedMeanTest {

    @Test
    void averagesOnlyRealTokensAndGivesZerosForAnEmptyRow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray tokens =
                    manager.create(
                            new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                            new Shape(2, 3, 2)); // (B, L, D)
            NDArray mask =
                    manager.create(new boolean[] {true, true, false, false, false, false})
                            .reshape(2, 3); // (B, L)
            NDArray pooled = MaskedMean.of(tokens, mask);
            assertEquals(new Shape(2, 2), pooled.getShape());
            // Row 0: mean of (1, 2) and (3, 4); row 1 has no real token.
            assertArrayEquals(new float[] {2, 3, 0, 0}, pooled.toFloatArray(), 1e-6f);
        }
    }
}
