package dev.braid.apps.report;

import java.util.List;

/**
 * Test accuracy under degraded inputs, as {@code braid demo} measures it: a row per condition, such
 * as {@code "both modalities"}, {@code "image missing"} or {@code "audio SNR 10 dB"}.
 *
 * <p>A run without robustness tests uses {@link #none()}, which the report shows as "not run".
 *
 * @param rows the conditions, in the order shown
 */
public record RobustnessTable(List<Row> rows) {

    /**
     * One condition's test accuracy.
     *
     * @param condition what was done to the test inputs
     * @param accuracy the test accuracy under it, in [0, 1]
     */
    public record Row(String condition, double accuracy) {

        /**
         * @throws IllegalArgumentException if the condition is blank or the accuracy is outside [0,
         *     1]
         */
        public Row {
            if (condition == null || condition.isBlank()) {
                throw new IllegalArgumentException(
                        "condition (" + condition + ") must not be blank");
            }
            ComparisonTable.checkUnit("accuracy", accuracy);
        }
    }

    public RobustnessTable {
        rows = List.copyOf(rows);
    }

    /** The table of a run that tested no degraded inputs. */
    public static RobustnessTable none() {
        return new RobustnessTable(List.of());
    }

    /** Whether the table has no rows, so robustness was not tested. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
