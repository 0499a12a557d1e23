package dev.braid.fusion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    @Test
    void maeAndRmseByHand() {
        // errors -1, 0, 2, 0: MAE 3/4, RMSE sqrt(5/4)
        RegressionMetrics metrics =
                RegressionMetrics.of(new double[] {1, 2, 3, 4}, new double[] {2, 2, 1, 4});
        assertEquals(0.75, metrics.mae(), 1e-12);
        assertEquals(Math.sqrt(1.25), metrics.rmse(), 1e-12);
        assertEquals(0.75, metrics.toMap().get("mae"), 1e-12);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RegressionMetrics.of(new double[] {1}, new double[] {1, 2}));
    }
}
