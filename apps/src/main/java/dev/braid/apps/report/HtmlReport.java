package dev.braid.apps.report;

import dev.braid.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the training report: one self-contained HTML file, its charts embedded as PNG data URIs,
 * with the sections {@code summary}, {@code curves}, {@code confusion}, {@code per-class}, {@code
 * comparison} and {@code robustness} (the last two say "Not run." when their table is empty).
 *
 * <pre>{@code
 * HtmlReport.write(data, modelDir.resolve("report.html"));
 * }</pre>
 */
public final class HtmlReport {

    /** The section ids, in page order. */
    public static final List<String> SECTIONS =
            List.of(
                    "summary",
                    "curves",
                    "confusion",
                    "per-class",
                    "generation",
                    "comparison",
                    "robustness");

    private static final String STYLE =
            """
            body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;\
            color:#222}
            h1{margin-bottom:.2em}nav a{margin-right:1em}
            section{margin-top:2.5em;border-top:1px solid #ddd}
            table{border-collapse:collapse;margin:1em 0}
            th,td{border:1px solid #ccc;padding:.3em .7em;text-align:right}
            th[scope=row],table.summary th,table.metrics th{text-align:left}
            thead th{background:#f4f4f4;text-align:center}
            td.best{background:#d7f0d7}
            figure{margin:1em 0}figure img{max-width:100%;height:auto}
            figcaption{color:#666;font-size:.9em}
            pre.config{background:#f7f7f7;padding:1em;overflow:auto}
            .not-run{color:#888;font-style:italic}
            """;

    static {
        PngImages.useHeadlessUnlessSet(); // before the first chart touches AWT
    }

    private HtmlReport() {}

    /**
     * Reads the training log and writes the report to {@code file}, atomically: to a temporary file
     * beside it, then renamed over it, so a reader never sees half a report.
     *
     * @throws java.nio.file.NoSuchFileException naming the training log if it does not exist
     * @throws IOException if the log is malformed or the report cannot be written
     */
    public static void write(ReportData data, Path file) throws IOException {
        String html = render(data, TrainingLog.read(data.trainingLog()));
        AtomicFile.write(file, html.getBytes(StandardCharsets.UTF_8));
    }

    /** The report's HTML. */
    static String render(ReportData data, TrainingLog log) {
        Html html = new Html();
        html.markup("<!DOCTYPE html>\n").open("html", "lang", "en").open("head");
        html.markup("<meta charset=\"utf-8\">\n");
        html.element("title", data.title());
        html.open("style").markup(STYLE).close("style");
        html.close("head").open("body");
        html.element("h1", data.title());
        html.open("nav");
        for (String section : SECTIONS) {
            html.element("a", section, "href", "#" + section);
        }
        html.close("nav");
        SummarySection.append(html, data.summary());
        CurvesSection.append(html, log);
        HeadSections.appendConfusion(html, data.heads());
        HeadSections.appendPerClass(html, data.heads());
        HeadSections.appendGeneration(html, data.summary());
        DemoSections.appendComparison(html, data.comparison());
        DemoSections.appendRobustness(html, data.robustness());
        html.element("footer", "Written by Braid " + data.summary().braidVersion() + ".");
        html.close("body").close("html");
        return html.toString();
    }
}
