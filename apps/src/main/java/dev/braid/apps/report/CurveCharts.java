package dev.braid.apps.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The curves of a training log: training loss and learning rate per step, validation metrics per
 * epoch. A chart is absent from the lists when the log has nothing to draw in it.
 */
final class CurveCharts {

    /** How much of the past the smoothed loss keeps, as TensorBoard's default slider. */
    static final double SMOOTHING = 0.9;

    private CurveCharts() {}

    /** Training loss per step, raw and smoothed; absent without steps. */
    static List<JFreeChart> perStep(TrainingLog log) {
        List<TrainingLog.Step> steps = log.steps();
        if (steps.isEmpty()) {
            return List.of();
        }
        double[] loss = steps.stream().mapToDouble(TrainingLog.Step::loss).toArray();
        double[] smoothed = Smoothing.ema(loss, SMOOTHING);
        XYSeries raw = new XYSeries("loss", false, true);
        XYSeries average = new XYSeries("smoothed (EMA " + SMOOTHING + ")", false, true);
        XYSeries learningRate = new XYSeries("learning rate", false, true);
        for (int i = 0; i < steps.size(); i++) {
            long step = steps.get(i).step();
            addFinite(raw, step, loss[i]);
            addFinite(average, step, smoothed[i]);
            addFinite(learningRate, step, steps.get(i).learningRate());
        }
        XYSeriesCollection lossData = new XYSeriesCollection();
        lossData.addSeries(raw);
        lossData.addSeries(average);
        JFreeChart lossChart = line("Training loss per step", "step", "loss", lossData, false);
        XYPlot plot = lossChart.getXYPlot();
        plot.getRenderer().setSeriesPaint(0, new Color(0x9ECAE1));
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(1f));
        plot.getRenderer().setSeriesPaint(1, new Color(0xD55E00));
        List<JFreeChart> charts = new ArrayList<>();
        charts.add(lossChart);
        if (learningRate.getItemCount() > 0) {
            charts.add(
                    line(
                            "Learning rate per step",
                            "step",
                            "learning rate",
                            new XYSeriesCollection(learningRate),
                            false));
        }
        return charts;
    }

    /**
     * Validation metrics per epoch: one chart of the accuracy and macro-F1 series, one of the
     * losses, one of any other metrics; each absent when it has no series.
     */
    static List<JFreeChart> perEpoch(TrainingLog log) {
        Set<String> names = new LinkedHashSet<>();
        log.epochs().forEach(epoch -> names.addAll(epoch.metrics().keySet()));
        Predicate<String> score = name -> isMetric(name, "accuracy") || isMetric(name, "macro_f1");
        Predicate<String> loss = name -> isMetric(name, "loss");
        List<JFreeChart> charts = new ArrayList<>();
        addEpochChart(charts, log, names, score, "Validation accuracy and macro-F1 per epoch");
        addEpochChart(charts, log, names, loss, "Validation loss per epoch");
        addEpochChart(
                charts,
                log,
                names,
                score.negate().and(loss.negate()),
                "Other validation metrics per epoch");
        return charts;
    }

    /** Whether {@code name} is {@code metric} or a head's {@code …/metric}. */
    static boolean isMetric(String name, String metric) {
        return name.equals(metric) || name.endsWith("/" + metric);
    }

    private static void addEpochChart(
            List<JFreeChart> charts,
            TrainingLog log,
            Set<String> names,
            Predicate<String> include,
            String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String name : names) {
            if (!include.test(name)) {
                continue;
            }
            XYSeries series = new XYSeries(name, false, true);
            for (TrainingLog.Epoch epoch : log.epochs()) {
                Double value = epoch.metrics().get(name);
                if (value != null) {
                    addFinite(series, epoch.epoch(), value);
                }
            }
            if (series.getItemCount() > 0) {
                data.addSeries(series);
            }
        }
        if (data.getSeriesCount() > 0) {
            charts.add(line(title, "epoch", "validation value", data, true));
        }
    }

    private static void addFinite(XYSeries series, double x, double y) {
        if (Double.isFinite(y)) {
            series.add(x, y);
        }
    }

    private static JFreeChart line(
            String title, String x, String y, XYSeriesCollection data, boolean perEpoch) {
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        ChartStyle.apply(chart);
        XYPlot plot = chart.getXYPlot();
        NumberAxis domain = (NumberAxis) plot.getDomainAxis();
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(false);
        domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits()); // steps and epochs
        if (perEpoch) {
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
            renderer.setDefaultShapesVisible(true);
        }
        return chart;
    }
}
