package dev.braid.apps.report;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code summary} section: how the run was made, its data, its final and best metrics. */
final class SummarySection {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private SummarySection() {}

    static void append(Html html, RunSummary summary) {
        html.open("section", "id", "summary").element("h2", "Run summary");
        html.open("table", "class", "summary").open("tbody");
        row(html, "Finished", DATE.format(summary.finishedAt()));
        row(html, "Braid version", summary.braidVersion());
        row(html, "Seed", Long.toString(summary.seed()));
        row(html, "Training time", duration(summary.trainingTime()));
        for (DatasetSize dataset : summary.datasets()) {
            row(
                    html,
                    "Dataset " + dataset.name(),
                    String.format(Locale.ROOT, "%,d samples", dataset.samples()));
        }
        html.close("tbody").close("table");

        Set<String> metrics = new LinkedHashSet<>(summary.finalMetrics().keySet());
        metrics.addAll(summary.bestMetrics().keySet());
        if (!metrics.isEmpty()) {
            html.element("h3", "Metrics");
            html.open("table", "class", "metrics").open("thead").open("tr");
            html.element("th", "metric")
                    .element("th", "test (kept model)")
                    .element("th", "validation (best epoch)");
            html.close("tr").close("thead").open("tbody");
            for (String metric : metrics) {
                html.open("tr").element("th", metric);
                html.element("td", value(metric, summary.finalMetrics()));
                html.element("td", value(metric, summary.bestMetrics()));
                html.close("tr");
            }
            html.close("tbody").close("table");
        }
        html.element("h3", "Model configuration");
        html.element("pre", summary.modelConfig(), "class", "config");
        html.close("section");
    }

    /** {@code "1h 02m 03s"}, {@code "4m 05s"}, {@code "6.5s"}. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds >= 3600) {
            return String.format(
                    Locale.ROOT,
                    "%dh %02dm %02ds",
                    seconds / 3600,
                    seconds % 3600 / 60,
                    seconds % 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }

    private static String value(String metric, Map<String, Double> metrics) {
        Double value = metrics.get(metric);
        if (value == null) {
            return "";
        }
        return CurveCharts.isMetric(metric, "accuracy")
                ? Html.accuracy(value)
                : Html.decimal(value);
    }

    private static void row(Html html, String name, String value) {
        html.open("tr").element("th", name).element("td", value).close("tr");
    }
}
