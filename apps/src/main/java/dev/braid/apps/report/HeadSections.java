package dev.braid.apps.report;

import dev.braid.fusion.metrics.ClassScores;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code confusion}, {@code per-class} and {@code generation} sections: for each classification
 * head, its confusion matrix as a heat map and a shaded table of counts, and its per-class F1 as
 * bars and its scores as a table; for each generation head, its token loss, perplexity, chrF and
 * BLEU.
 */
final class HeadSections {

    private HeadSections() {}

    static void appendConfusion(Html html, List<HeadResult> heads) {
        html.open("section", "id", "confusion").element("h2", "Confusion matrix");
        if (heads.isEmpty()) {
            html.element("p", "No classification head.", "class", "not-run");
        }
        for (HeadResult head : heads) {
            int[][] confusion = head.confusion();
            List<String> names = head.classNames();
            int side = Math.min(900, 460 + 40 * names.size());
            html.element("h3", head.head());
            html.element(
                    "p",
                    "Test accuracy "
                            + Html.accuracy(head.accuracy())
                            + ". Rows are the true class, columns the predicted class; shading is"
                            + " the fraction of the row.");
            html.figure(
                    PngImages.dataUri(ConfusionHeatMap.chart(head), side + 120, side),
                    "Confusion matrix of " + head.head());
            html.open("table", "class", "confusion", "data-head", head.head()).open("thead");
            html.open("tr").element("th", "truth \\ predicted");
            for (String name : names) {
                html.element("th", name, "scope", "col");
            }
            html.close("tr").close("thead").open("tbody");
            for (int row = 0; row < confusion.length; row++) {
                html.open("tr").element("th", names.get(row), "scope", "row");
                for (int column = 0; column < confusion.length; column++) {
                    double fraction = ConfusionHeatMap.rowFraction(confusion, row, column);
                    html.element(
                            "td",
                            Integer.toString(confusion[row][column]),
                            "style",
                            cellStyle(fraction));
                }
                html.close("tr");
            }
            html.close("tbody").close("table");
        }
        html.close("section");
    }

    static void appendPerClass(Html html, List<HeadResult> heads) {
        html.open("section", "id", "per-class").element("h2", "Per-class scores");
        if (heads.isEmpty()) {
            html.element("p", "No classification head.", "class", "not-run");
        }
        for (HeadResult head : heads) {
            html.element("h3", head.head());
            html.figure(
                    PngImages.dataUri(
                            BarCharts.perClassF1(head),
                            Math.max(640, 60 * head.perClass().size()),
                            360),
                    "F1 per class of " + head.head());
            html.open("table", "class", "per-class", "data-head", head.head()).open("thead");
            html.open("tr");
            for (String column : List.of("class", "precision", "recall", "F1", "support")) {
                html.element("th", column, "scope", "col");
            }
            html.close("tr").close("thead").open("tbody");
            for (ClassScores scores : head.perClass()) {
                html.open("tr").element("th", scores.name(), "scope", "row");
                html.element("td", Html.decimal(scores.precision()));
                html.element("td", Html.decimal(scores.recall()));
                html.element("td", Html.decimal(scores.f1()));
                html.element("td", Integer.toString(scores.support()));
                html.close("tr");
            }
            html.close("tbody").close("table");
        }
        html.close("section");
    }

    /** The scores a generation head gets from the evaluator, in the order shown. */
    private static final List<String> TEXT_SCORES =
            List.of("token_loss", "perplexity", "chrf", "bleu");

    /**
     * One table per generation head (a head whose metrics have {@code <head>/perplexity}): its
     * scores on the test split (chrF and BLEU of its greedy texts against the labels) and on the
     * validation split at the best epoch.
     */
    static void appendGeneration(Html html, RunSummary summary) {
        html.open("section", "id", "generation").element("h2", "Generated text");
        Set<String> heads = new TreeSet<>();
        for (String metric : summary.finalMetrics().keySet()) {
            if (metric.endsWith("/perplexity")) {
                heads.add(metric.substring(0, metric.length() - "/perplexity".length()));
            }
        }
        if (heads.isEmpty()) {
            html.element("p", "No generation head.", "class", "not-run");
        }
        for (String head : heads) {
            html.element("h3", head);
            html.element(
                    "p",
                    "Token loss and perplexity are teacher-forced; chrF and BLEU (0 to 100) score"
                            + " the greedy texts against the labels.");
            html.open("table", "class", "generation", "data-head", head).open("thead");
            html.open("tr").element("th", "split");
            for (String score : TEXT_SCORES) {
                html.element("th", score, "scope", "col");
            }
            html.close("tr").close("thead").open("tbody");
            textRow(html, "test", head, summary.finalMetrics());
            textRow(html, "validation (best epoch)", head, summary.bestMetrics());
            html.close("tbody").close("table");
        }
        html.close("section");
    }

    private static void textRow(Html html, String split, String head, Map<String, Double> metrics) {
        html.open("tr").element("th", split, "scope", "row");
        for (String score : TEXT_SCORES) {
            Double value = metrics.get(head + "/" + score);
            html.element("td", value == null ? "" : Html.decimal(value));
        }
        html.close("tr");
    }

    /** The heat map's shade as a cell background, with text that stays readable on it. */
    private static String cellStyle(double fraction) {
        Color shade = ConfusionHeatMap.shade(fraction);
        return String.format(
                Locale.ROOT,
                "background:#%02x%02x%02x;color:%s",
                shade.getRed(),
                shade.getGreen(),
                shade.getBlue(),
                fraction > 0.55 ? "#fff" : "#000");
    }
}
