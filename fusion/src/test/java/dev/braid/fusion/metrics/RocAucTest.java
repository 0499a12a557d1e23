package dev.braid.fusion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RocAucTest {

    @Test
    void binaryCountsPairsInOrder() {
        // positives {0.35, 0.8} vs negatives {0.1, 0.4}: 3 of the 4 pairs are ordered -> 0.75
        double auc =
                RocAuc.binary(
                        new double[] {0.1, 0.4, 0.35, 0.8},
                        new boolean[] {false, false, true, true});
        assertEquals(0.75, auc, 1e-12);
    }

    @Test
    void tiesCountOneHalf() {
        // positive {0.5} vs negatives {0.2, 0.5, 0.5}: 1 + 1/2 + 1/2 over 3 pairs = 2/3
        double auc =
                RocAuc.binary(
                        new double[] {0.2, 0.5, 0.5, 0.5},
                        new boolean[] {false, true, false, false});
        assertEquals(2.0 / 3, auc, 1e-12);
    }

    @Test
    void perfectAndReversedRankings() {
        boolean[] labels = {false, true, false, true};
        assertEquals(1.0, RocAuc.binary(new double[] {0.1, 0.9, 0.2, 0.8}, labels), 0);
        assertEquals(0.0, RocAuc.binary(new double[] {0.9, 0.1, 0.8, 0.2}, labels), 0);
    }

    @Test
    void oneClassAbsentIsNaN() {
        assertTrue(
                Double.isNaN(RocAuc.binary(new double[] {0.1, 0.7}, new boolean[] {true, true})));
    }

    @Test
    void macroAveragesLabelsThatHaveBothClasses() {
        // label 0: the 0.75 case above; label 1: all negative, skipped; label 2: the 2/3 ties case
        double[][] scores = {{0.1, 0.3, 0.2}, {0.4, 0.1, 0.5}, {0.35, 0.9, 0.5}, {0.8, 0.2, 0.5}};
        boolean[][] labels = {
            {false, false, false}, {false, false, true}, {true, false, false}, {true, false, false}
        };
        assertEquals((0.75 + 2.0 / 3) / 2, RocAuc.macro(scores, labels), 1e-12);
    }

    @Test
    void nanScoreIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RocAuc.binary(
                                        new double[] {0.1, Double.NaN},
                                        new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
    }
}
