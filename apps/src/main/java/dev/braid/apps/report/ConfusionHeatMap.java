package dev.braid.apps.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A confusion matrix drawn as a heat map: truth down the side (first class at the top), predicted
 * class along the bottom, each cell shaded by the fraction of its true class (its row) predicted
 * so, and labelled with its count.
 */
final class ConfusionHeatMap {

    private ConfusionHeatMap() {}

    /**
     * The fraction of row {@code row} that cell ({@code row}, {@code column}) holds: 0 for an empty
     * row.
     */
    static double rowFraction(int[][] confusion, int row, int column) {
        long total = 0;
        for (int count : confusion[row]) {
            total += count;
        }
        return total == 0 ? 0 : (double) confusion[row][column] / total;
    }

    /** White at 0 to deep blue at 1. */
    static Color shade(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return new Color(
                (int) Math.round(255 + f * (8 - 255)),
                (int) Math.round(255 + f * (69 - 255)),
                (int) Math.round(255 + f * (148 - 255)));
    }

    /** The heat map of {@code head}'s confusion matrix. */
    static JFreeChart chart(HeadResult head) {
        int[][] confusion = head.confusion();
        int k = confusion.length;
        double[] xs = new double[k * k];
        double[] ys = new double[k * k];
        double[] zs = new double[k * k];
        for (int row = 0; row < k; row++) {
            for (int column = 0; column < k; column++) {
                int i = row * k + column;
                xs[i] = column;
                ys[i] = row;
                zs[i] = rowFraction(confusion, row, column);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("fraction of true class", new double[][] {xs, ys, zs});

        String[] names = head.classNames().toArray(String[]::new);
        SymbolAxis predicted = new SymbolAxis("predicted", names);
        SymbolAxis truth = new SymbolAxis("truth", names);
        truth.setInverted(true); // (0, 0) at the top left, as the table reads
        for (SymbolAxis axis : List.of(predicted, truth)) {
            axis.setGridBandsVisible(false);
            axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, k > 10 ? 10 : 13));
            axis.setRange(-0.5, k - 0.5);
        }
        if (k > 6) {
            predicted.setVerticalTickLabels(true);
        }

        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new Shades());
        XYPlot plot = new XYPlot(data, predicted, truth, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, k > 10 ? 10 : 14);
        for (int row = 0; row < k; row++) {
            for (int column = 0; column < k; column++) {
                XYTextAnnotation label =
                        new XYTextAnnotation(Integer.toString(confusion[row][column]), column, row);
                label.setFont(font);
                label.setPaint(
                        rowFraction(confusion, row, column) > 0.55 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(label);
            }
        }

        JFreeChart chart = new JFreeChart("Confusion matrix: " + head.head(), null, plot, false);
        ChartStyle.apply(chart);
        NumberAxis scaleAxis = new NumberAxis("fraction of true class");
        scaleAxis.setRange(0, 1);
        scaleAxis.setTickUnit(new NumberTickUnit(0.25));
        PaintScaleLegend legend = new PaintScaleLegend(new Shades(), scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(12);
        legend.setMargin(4, 8, 4, 8);
        chart.addSubtitle(legend);
        return chart;
    }

    /** {@link #shade} as a JFreeChart paint scale over [0, 1]. */
    private static final class Shades implements PaintScale {

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            return shade(value);
        }
    }
}
