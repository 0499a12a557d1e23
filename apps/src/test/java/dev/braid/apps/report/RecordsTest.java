package dev.braid.apps.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.braid.fusion.metrics.ClassificationMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation names the field and the value; derived values match hand counts. */
class RecordsTest {

    @Test
    void headAccuracyIsTheTraceOverTheTotal() {
        HeadResult head =
                new HeadResult("label", ReportFixtures.CONFUSION, ReportFixtures.PER_CLASS);
        assertEquals(0.7, head.accuracy(), 1e-12); // 14 of 20
        assertEquals(List.of("cat", "dog", "<b>&"), head.classNames());
    }

    @Test
    void headFromClassificationMetrics() {
        // truth 0 0 1 2, predicted 0 1 1 2: matrix [[1,1,0],[0,1,0],[0,0,1]].
        ClassificationMetrics metrics =
                ClassificationMetrics.of(
                        new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 2}, List.of("a", "b", "c"));
        HeadResult head = HeadResult.of("label", metrics);
        assertEquals(
                List.of(List.of(1, 1, 0), List.of(0, 1, 0), List.of(0, 0, 1)),
                rows(head.confusion()));
        assertEquals(0.75, head.accuracy(), 1e-12);
    }

    @Test
    void headCopiesItsMatrix() {
        int[][] confusion = {{1, 0}, {0, 1}};
        HeadResult head =
                new HeadResult("label", confusion, ReportFixtures.PER_CLASS.subList(0, 2));
        confusion[0][0] = 99;
        head.confusion()[1][1] = 99;
        assertEquals(List.of(List.of(1, 0), List.of(0, 1)), rows(head.confusion()));
        assertEquals(head, new HeadResult("label", new int[][] {{1, 0}, {0, 1}}, head.perClass()));
    }

    @Test
    void headRejectsAMatrixOfTheWrongSize() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new HeadResult(
                                        "label",
                                        new int[][] {{1, 0}, {0, 1}},
                                        ReportFixtures.PER_CLASS));
        assertEquals("confusion has 2 rows but there are 3 classes", error.getMessage());
    }

    @Test
    void headRejectsANegativeCount() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new HeadResult(
                                        "label",
                                        new int[][] {{1, 0}, {-2, 1}},
                                        ReportFixtures.PER_CLASS.subList(0, 2)));
        assertEquals("confusion[1][0] (-2) must be at least 0", error.getMessage());
    }

    @Test
    void comparisonRowsNeedAScorePerSetting() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new ComparisonTable(
                                        List.of("clean", "hard"),
                                        List.of(
                                                new ComparisonTable.Row(
                                                        "early fusion",
                                                        List.of(
                                                                new ComparisonTable.Score(
                                                                        0.5, 0.5))))));
        assertEquals(
                "row early fusion has 1 scores but there are 2 settings [clean, hard]",
                error.getMessage());
    }

    @Test
    void scoresMustBeFractions() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new RobustnessTable.Row("image missing", 61.0));
        assertEquals("accuracy (61.0) must be in [0, 1]", error.getMessage());
        error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ComparisonTable.Score(0.5, Double.NaN));
        assertEquals("macroF1 (NaN) must be in [0, 1]", error.getMessage());
    }

    @Test
    void datasetSizesAreNotNegative() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> new DatasetSize("train", -1));
        assertEquals("samples (-1) must be at least 0", error.getMessage());
    }

    private static List<List<Integer>> rows(int[][] matrix) {
        return java.util.Arrays.stream(matrix)
                .map(row -> java.util.Arrays.stream(row).boxed().toList())
                .toList();
    }
}
