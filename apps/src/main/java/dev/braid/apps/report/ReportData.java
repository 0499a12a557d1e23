package dev.braid.apps.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link HtmlReport} shows.
 *
 * @param title the report's title
 * @param summary how the run was made and how it ended
 * @param trainingLog the trainer's {@code log.jsonl}, read when the report is written
 * @param heads the test results of each classification head
 * @param comparison the model comparison, or {@link ComparisonTable#none()}
 * @param robustness the robustness tests, or {@link RobustnessTable#none()}
 */
public record ReportData(
        String title,
        RunSummary summary,
        Path trainingLog,
        List<HeadResult> heads,
        ComparisonTable comparison,
        RobustnessTable robustness) {

    /**
     * @throws IllegalArgumentException if the title is blank
     * @throws NullPointerException if a component is null
     */
    public ReportData {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title (" + title + ") must not be blank");
        }
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(trainingLog, "trainingLog");
        Objects.requireNonNull(comparison, "comparison (use ComparisonTable.none())");
        Objects.requireNonNull(robustness, "robustness (use RobustnessTable.none())");
        heads = List.copyOf(heads);
    }
}
