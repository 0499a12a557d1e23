package dev.braid.apps.report;

import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/** The {@code curves} section: the training log's curves as pictures. */
final class CurvesSection {

    static final int WIDTH = 760;
    static final int HEIGHT = 380;

    private CurvesSection() {}

    static void append(Html html, TrainingLog log) {
        html.open("section", "id", "curves").element("h2", "Training curves");
        List<JFreeChart> charts = new ArrayList<>(CurveCharts.perStep(log));
        charts.addAll(CurveCharts.perEpoch(log));
        if (charts.isEmpty()) {
            html.element("p", "The training log holds no steps or epochs.", "class", "not-run");
        } else {
            html.element(
                    "p",
                    log.steps().size()
                            + " steps and "
                            + log.epochs().size()
                            + " validated epochs logged.");
        }
        for (JFreeChart chart : charts) {
            html.figure(PngImages.dataUri(chart, WIDTH, HEIGHT), chart.getTitle().getText());
        }
        html.close("section");
    }
}
