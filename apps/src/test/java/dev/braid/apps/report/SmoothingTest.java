package dev.braid.apps.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SmoothingTest {

    @Test
    void debiasedAverageByHand() {
        // w = 0.5: m0 = 0.5·1 = 0.5, / (1 − 0.5) = 1; m1 = 0.25 + 0.5·2 = 1.25, / 0.75 = 5/3;
        // m2 = 0.625 + 0.5·4 = 2.625, / 0.875 = 3.
        assertArrayEquals(
                new double[] {1, 5 / 3.0, 3}, Smoothing.ema(new double[] {1, 2, 4}, 0.5), 1e-12);
    }

    @Test
    void weightZeroIsTheRawCurve() {
        assertArrayEquals(new double[] {3, -1, 7}, Smoothing.ema(new double[] {3, -1, 7}, 0), 0);
    }

    @Test
    void nonFiniteValuesAreSkipped() {
        // As {1, 2} with w = 0.5, a NaN in between.
        double[] smoothed = Smoothing.ema(new double[] {1, Double.NaN, 2}, 0.5);
        assertEquals(1, smoothed[0], 1e-12);
        assertEquals(Double.NaN, smoothed[1]);
        assertEquals(5 / 3.0, smoothed[2], 1e-12);
    }

    @Test
    void weightOneIsRejected() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class, () -> Smoothing.ema(new double[] {1}, 1));
        assertEquals("weight (1.0) must be in [0, 1)", error.getMessage());
    }
}
