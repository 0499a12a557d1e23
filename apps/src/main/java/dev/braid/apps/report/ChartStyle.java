package dev.braid.apps.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;

/** The one look of every chart in the report: white, light grid, a colour-blind-safe palette. */
final class ChartStyle {

    /** Okabe–Ito colours, distinguishable with any colour vision. */
    static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xE69F00),
        new Color(0x009E73),
        new Color(0xCC79A7),
        new Color(0x56B4E9),
        new Color(0xD55E00),
        new Color(0xF0E442),
        new Color(0x000000),
    };

    static final Color GRID = new Color(0xDDDDDD);

    private ChartStyle() {}

    /** The palette colour of series {@code index}, cycling. */
    static Paint colour(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** Applies the look to {@code chart} and returns it. */
    static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            for (int series = 0; series < xy.getSeriesCount(); series++) {
                xy.getRenderer().setSeriesPaint(series, colour(series));
                xy.getRenderer().setSeriesStroke(series, new BasicStroke(2f));
            }
        } else if (plot instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(GRID);
            if (category.getRenderer() instanceof BarRenderer bars) {
                bars.setBarPainter(new StandardBarPainter());
                bars.setShadowVisible(false);
                bars.setItemMargin(0.05);
                for (int series = 0; series < category.getDataset().getRowCount(); series++) {
                    bars.setSeriesPaint(series, colour(series));
                }
            }
        }
        return chart;
    }
}
