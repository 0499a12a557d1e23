package dev.braid.vision.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SinCosPositionEmbeddingTest {

    @Test
    void widthFourCodesRowThenColumnAtFrequencyOne() {
        float[] table = SinCosPositionEmbedding.table(2, 3, 4);
        // Token 0 is (row 0, col 0): sin 0, cos 0, sin 0, cos 0.
        assertArrayEquals(new float[] {0, 1, 0, 1}, Arrays.copyOfRange(table, 0, 4), 1e-6f);
        // Token 5 is (row 1, col 2): sin 1, cos 1, sin 2, cos 2.
        assertArrayEquals(
                new float[] {0.841471f, 0.540302f, 0.909297f, -0.416147f},
                Arrays.copyOfRange(table, 20, 24),
                1e-6f);
    }

    @Test
    void widthEightAddsAPairAtFrequencyOneHundredth() {
        float[] table = SinCosPositionEmbedding.table(2, 2, 8);
        // Token 2 is (row 1, col 0); the second pair of each half uses 10000^(-4/8) = 0.01.
        assertArrayEquals(
                new float[] {0.841471f, 0.540302f, 0.0099998f, 0.99995f, 0, 1, 0, 1},
                Arrays.copyOfRange(table, 16, 24),
                1e-6f);
    }
}
