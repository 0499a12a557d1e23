package dev.braid.apps.report;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The {@code comparison} and {@code robustness} sections of {@code braid demo}, each a table and a
 * bar chart, or "not run". In the comparison, the best value of each column is highlighted (every
 * one, on a tie).
 */
final class DemoSections {

    private static final String NOT_RUN = "Not run.";

    private DemoSections() {}

    static void appendComparison(Html html, ComparisonTable table) {
        html.open("section", "id", "comparison").element("h2", "Model comparison");
        if (table.isEmpty()) {
            html.element("p", NOT_RUN, "class", "not-run").close("section");
            return;
        }
        List<ToDoubleFunction<ComparisonTable.Score>> scores =
                List.of(ComparisonTable.Score::accuracy, ComparisonTable.Score::macroF1);
        List<String> scoreNames = List.of("accuracy", "macro-F1");
        int columns = table.settings().size() * scores.size();
        double[] best = new double[columns];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        for (ComparisonTable.Row row : table.rows()) {
            for (int c = 0; c < columns; c++) {
                best[c] = Math.max(best[c], value(row, c, scores));
            }
        }

        html.open("table", "class", "comparison").open("thead").open("tr");
        html.element("th", "model", "rowspan", "2", "scope", "col");
        for (String setting : table.settings()) {
            html.element("th", setting, "colspan", Integer.toString(scores.size()), "scope", "col");
        }
        html.close("tr").open("tr");
        for (int s = 0; s < table.settings().size(); s++) {
            for (String name : scoreNames) {
                html.element("th", name, "scope", "col");
            }
        }
        html.close("tr").close("thead").open("tbody");
        for (ComparisonTable.Row row : table.rows()) {
            html.open("tr").element("th", row.model(), "scope", "row");
            for (int c = 0; c < columns; c++) {
                double value = value(row, c, scores);
                String text = c % scores.size() == 0 ? Html.accuracy(value) : Html.decimal(value);
                if (value == best[c]) {
                    html.open("td", "class", "best").element("strong", text).close("td");
                } else {
                    html.element("td", text);
                }
            }
            html.close("tr");
        }
        html.close("tbody").close("table");
        for (int s = 0; s < scores.size(); s++) {
            String name = "test " + scoreNames.get(s);
            html.figure(
                    PngImages.dataUri(
                            BarCharts.comparison(table, name, scores.get(s)),
                            Math.max(820, 150 * table.rows().size()),
                            420),
                    "Test " + scoreNames.get(s) + " by model and setting");
        }
        html.close("section");
    }

    static void appendRobustness(Html html, RobustnessTable table) {
        html.open("section", "id", "robustness").element("h2", "Robustness");
        if (table.isEmpty()) {
            html.element("p", NOT_RUN, "class", "not-run").close("section");
            return;
        }
        html.open("table", "class", "robustness").open("thead").open("tr");
        html.element("th", "condition", "scope", "col")
                .element("th", "test accuracy", "scope", "col");
        html.close("tr").close("thead").open("tbody");
        for (RobustnessTable.Row row : table.rows()) {
            html.open("tr").element("th", row.condition(), "scope", "row");
            html.element("td", Html.accuracy(row.accuracy())).close("tr");
        }
        html.close("tbody").close("table");
        html.figure(
                PngImages.dataUri(BarCharts.robustness(table), 760, 140 + 36 * table.rows().size()),
                "Test accuracy under degraded inputs");
        html.close("section");
    }

    /** Column {@code c} of {@code row}: setting {@code c / scores}, score {@code c % scores}. */
    private static double value(
            ComparisonTable.Row row, int c, List<ToDoubleFunction<ComparisonTable.Score>> scores) {
        return scores.get(c % scores.size()).applyAsDouble(row.scores().get(c / scores.size()));
    }
}
