package dev.braid.fusion.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final List<String> CLASSES = List.of("cat", "dog", "bird", "fish");
    // fish (3) occurs in neither truth nor predictions
    private static final int[] TRUTH = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 1, 2, 2, 2, 1};

    @Test
    void confusionMatrixCellByCell() {
        ClassificationMetrics metrics = ClassificationMetrics.of(TRUTH, PREDICTED, CLASSES);
        // rows truth, columns predicted, counted by hand from the arrays above
        int[][] expected = {
            {2, 1, 0, 0},
            {0, 1, 1, 0},
            {0, 1, 2, 0},
            {0, 0, 0, 0}
        };
        for (int t = 0; t < 4; t++) {
            for (int p = 0; p < 4; p++) {
                assertEquals(expected[t][p], metrics.confusion(t, p), "cell " + t + "," + p);
            }
            assertArrayEquals(expected[t], metrics.confusionMatrix()[t]);
        }
    }

    @Test
    void accuracyPerClassScoresAndMacroF1ByHand() {
        ClassificationMetrics metrics = ClassificationMetrics.of(TRUTH, PREDICTED, CLASSES);
        assertEquals(5.0 / 8, metrics.accuracy(), 1e-12);
        // cat: TP 2, predicted 2, support 3 -> P 1, R 2/3, F1 0.8
        assertScores(metrics.perClass().get(0), "cat", 1.0, 2.0 / 3, 0.8, 3);
        // dog: TP 1, predicted 3, support 2 -> P 1/3, R 1/2, F1 0.4
        assertScores(metrics.perClass().get(1), "dog", 1.0 / 3, 0.5, 0.4, 2);
        // bird: TP 2, predicted 3, support 3 -> P = R = F1 = 2/3
        assertScores(metrics.perClass().get(2), "bird", 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        assertScores(metrics.perClass().get(3), "fish", 0, 0, 0, 0);
        // fish is excluded: (0.8 + 0.4 + 2/3) / 3 = 28/45
        assertEquals(28.0 / 45, metrics.macroF1(), 1e-12);
    }

    @Test
    void aClassOnlyPredictedCountsInMacroF1() {
        ClassificationMetrics metrics =
                ClassificationMetrics.of(
                        new int[] {0, 0}, new int[] {0, 1}, List.of("a", "b", "c"));
        // a: P 1, R 1/2, F1 2/3; b: predicted once, never true, F1 0; c absent: excluded
        assertEquals(1.0 / 3, metrics.macroF1(), 1e-12);
    }

    @Test
    void toMapUsesFlatNames() {
        Map<String, Double> map = ClassificationMetrics.of(TRUTH, PREDICTED, CLASSES).toMap();
        assertEquals(5.0 / 8, map.get("accuracy"), 1e-12);
        assertEquals(28.0 / 45, map.get("macro_f1"), 1e-12);
        assertEquals(1.0 / 3, map.get("precision/dog"), 1e-12);
        assertEquals(0.5, map.get("recall/dog"), 1e-12);
        assertEquals(0.4, map.get("f1/dog"), 1e-12);
        assertEquals(3.0, map.get("support/bird"), 0);
    }

    @Test
    void invalidInputsAreNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ClassificationMetrics.of(
                                        new int[] {0, 4}, new int[] {0, 1}, CLASSES));
        assertTrue(e.getMessage().contains("truth[1] (4)"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new int[] {0}, new int[] {0, 1}, CLASSES));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new int[0], new int[0], CLASSES));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new int[] {0}, new int[] {0}, List.of("a", "a")));
    }

    private static void assertScores(
            ClassScores scores,
            String name,
            double precision,
            double recall,
            double f1,
            int support) {
        assertEquals(name, scores.name());
        assertEquals(precision, scores.precision(), 1e-12, name + " precision");
        assertEquals(recall, scores.recall(), 1e-12, name + " recall");
        assertEquals(f1, scores.f1(), 1e-12, name + " f1");
        assertEquals(support, scores.support(), name + " support");
    }
}
