package dev.braid.apps.report;

import dev.braid.fusion.metrics.ClassScores;
import java.awt.Font;
import java.text.DecimalFormat;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/** Bar charts of scores in [0, 1]: per-class F1, the model comparison, the robustness tests. */
final class BarCharts {

    private BarCharts() {}

    /** The F1 of each class of {@code head}. */
    static JFreeChart perClassF1(HeadResult head) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ClassScores scores : head.perClass()) {
            data.addValue(scores.f1(), "F1", scores.name());
        }
        JFreeChart chart = bars("F1 per class: " + head.head(), "class", "F1", data, false);
        if (head.perClass().size() > 6) {
            chart.getCategoryPlot()
                    .getDomainAxis()
                    .setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        return chart;
    }

    /**
     * One score of every model under every setting, grouped by model.
     *
     * @param name the score's name, such as "test accuracy"
     * @param score picks the score
     */
    static JFreeChart comparison(
            ComparisonTable table, String name, ToDoubleFunction<ComparisonTable.Score> score) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (ComparisonTable.Row row : table.rows()) {
            for (int s = 0; s < table.settings().size(); s++) {
                data.addValue(
                        score.applyAsDouble(row.scores().get(s)),
                        table.settings().get(s),
                        row.model());
            }
        }
        JFreeChart chart =
                bars(
                        capitalise(name) + " by model and setting",
                        "model",
                        name,
                        data,
                        table.settings().size() > 1);
        chart.getCategoryPlot()
                .getDomainAxis()
                .setMaximumCategoryLabelLines(3); // long model names wrap
        return chart;
    }

    /** The test accuracy under each condition, one bar each, drawn horizontally. */
    static JFreeChart robustness(RobustnessTable table) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (RobustnessTable.Row row : table.rows()) {
            data.addValue(row.accuracy(), "test accuracy", row.condition());
        }
        JFreeChart chart =
                ChartFactory.createBarChart(
                        "Test accuracy under degraded inputs",
                        "condition",
                        "test accuracy",
                        data,
                        PlotOrientation.HORIZONTAL,
                        false,
                        false,
                        false);
        styleScores(chart);
        chart.getCategoryPlot().setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        return chart;
    }

    private static JFreeChart bars(
            String title, String x, String y, DefaultCategoryDataset data, boolean legend) {
        JFreeChart chart =
                ChartFactory.createBarChart(
                        title, x, y, data, PlotOrientation.VERTICAL, legend, false, false);
        styleScores(chart);
        return chart;
    }

    /** The common look, a [0, 1] value axis and each bar labelled with its value. */
    private static void styleScores(JFreeChart chart) {
        ChartStyle.apply(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setRange(0, 1.08); // room for the labels above a bar at 1
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setDefaultItemLabelGenerator(
                new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.000")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        renderer.setMaximumBarWidth(0.12);
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
