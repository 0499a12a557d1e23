package dev.braid.apps.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * Draws a chart to PNG in memory, as a {@code data:image/png;base64,} URI an {@code <img>} can
 * embed. Drawing needs no display: {@link #useHeadlessUnlessSet} runs before any chart is made.
 */
final class PngImages {

    static {
        useHeadlessUnlessSet();
    }

    private PngImages() {}

    /**
     * Sets {@code java.awt.headless} to true unless the JVM was started with it set, so charts draw
     * without a display. It must run before AWT first asks; it is idempotent.
     */
    static void useHeadlessUnlessSet() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * Draws {@code chart} as a PNG image.
     *
     * @param width the width in pixels, at least 1
     * @param height the height in pixels, at least 1
     */
    static byte[] png(JFreeChart chart, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "width (" + width + ") and height (" + height + ") must be at least 1");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(bytes, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw chart " + chart.getTitle().getText(), e);
        }
        return bytes.toByteArray();
    }

    /** Draws {@code chart} as a PNG image in a data URI. */
    static String dataUri(JFreeChart chart, int width, int height) {
        return "data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png(chart, width, height));
    }
}
