package dev.braid.apps.report;

import java.util.HashSet;
import java.util.List;

/**
 * Test scores of several models under several settings, as {@code braid demo} compares them: a row
 * per model (such as {@code "early fusion"}), a column per setting (such as {@code "clean"}).
 *
 * <p>A run without a comparison uses {@link #none()}, which the report shows as "not run".
 *
 * @param settings the column names, distinct
 * @param rows the rows, each with one score per setting
 */
public record ComparisonTable(List<String> settings, List<Row> rows) {

    /**
     * One model's scores.
     *
     * @param model the model's name
     * @param scores its score under each setting, in the order of the table's settings
     */
    public record Row(String model, List<Score> scores) {

        /**
         * @throws IllegalArgumentException if the model name is blank
         */
        public Row {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model (" + model + ") must not be blank");
            }
            scores = List.copyOf(scores);
        }
    }

    /**
     * Test accuracy and macro-F1, each in [0, 1].
     *
     * @param accuracy correct predictions over all predictions
     * @param macroF1 the unweighted mean of the per-class F1
     */
    public record Score(double accuracy, double macroF1) {

        /**
         * @throws IllegalArgumentException if a value is outside [0, 1]
         */
        public Score {
            checkUnit("accuracy", accuracy);
            checkUnit("macroF1", macroF1);
        }
    }

    /**
     * @throws IllegalArgumentException if settings repeat or are blank, or a row's score count
     *     differs from the number of settings
     */
    public ComparisonTable {
        settings = List.copyOf(settings);
        rows = List.copyOf(rows);
        if (new HashSet<>(settings).size() != settings.size()) {
            throw new IllegalArgumentException("settings (" + settings + ") must be distinct");
        }
        for (String setting : settings) {
            if (setting.isBlank()) {
                throw new IllegalArgumentException("settings (" + settings + ") must not be blank");
            }
        }
        for (Row row : rows) {
            if (row.scores().size() != settings.size()) {
                throw new IllegalArgumentException(
                        "row "
                                + row.model()
                                + " has "
                                + row.scores().size()
                                + " scores but there are "
                                + settings.size()
                                + " settings "
                                + settings);
            }
        }
    }

    /** The table of a run that compared nothing. */
    public static ComparisonTable none() {
        return new ComparisonTable(List.of(), List.of());
    }

    /** Whether the table has no rows, so the comparison was not run. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    static void checkUnit(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " (" + value + ") must be in [0, 1]");
        }
    }
}
