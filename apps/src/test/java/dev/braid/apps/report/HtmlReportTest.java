package dev.braid.apps.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final String PNG_URI = "data:image/png;base64,";

    @TempDir static Path directory;

    private static Path reportFile;
    private static String html;
    private static Document document;

    @BeforeAll
    static void writeReport() throws IOException {
        Path log = ReportFixtures.writeLog(directory);
        reportFile = directory.resolve("model").resolve("report.html");
        HtmlReport.write(
                ReportFixtures.data(log, ReportFixtures.comparison(), ReportFixtures.robustness()),
                reportFile);
        html = Files.readString(reportFile, StandardCharsets.UTF_8);
        document = Jsoup.parse(html);
    }

    @Test
    void hasEverySectionInOrder() {
        List<String> ids = document.select("body > section").eachAttr("id");
        assertEquals(
                List.of(
                        "summary",
                        "curves",
                        "confusion",
                        "per-class",
                        "generation",
                        "comparison",
                        "robustness"),
                ids);
    }

    @Test
    void summaryShowsTheRun() {
        Element summary = document.getElementById("summary");
        assertEquals("2026-11-23 12:00:00 UTC", cell(summary, "table.summary", "Finished"));
        assertEquals("42", cell(summary, "table.summary", "Seed"));
        assertEquals("1h 02m 03s", cell(summary, "table.summary", "Training time"));
        assertEquals("1,200 samples", cell(summary, "table.summary", "Dataset train"));
        assertEquals("0.700 (70.0%)", cell(summary, "table.metrics", "label/accuracy"));
        assertEquals("0.680", cell(summary, "table.metrics", "label/macro_f1"));
        assertEquals(
                "{\n  \"fusion\": \"cross-attention <pairwise>\",\n  \"width\": 64\n}",
                summary.selectFirst("pre.config").wholeText());
    }

    @Test
    void confusionTableHoldsTheMatrix() {
        Element table = document.selectFirst("#confusion table.confusion");
        assertEquals(
                List.of("truth \\ predicted", "cat", "dog", "<b>&"),
                table.select("thead th").eachText());
        Elements rows = table.select("tbody tr");
        assertEquals(3, rows.size());
        for (int row = 0; row < 3; row++) {
            List<String> cells = rows.get(row).select("td").eachText();
            List<String> expected = new ArrayList<>();
            for (int count : ReportFixtures.CONFUSION[row]) {
                expected.add(Integer.toString(count));
            }
            assertEquals(expected, cells, "row " + row);
        }
        // The diagonal is shaded darker than an empty cell: 5 of 6 against 0 of 6.
        String diagonal = rows.get(0).select("td").get(0).attr("style");
        String empty = rows.get(0).select("td").get(2).attr("style");
        assertTrue(empty.startsWith("background:#ffffff"), empty);
        assertFalse(diagonal.startsWith("background:#ffffff"), diagonal);
        assertTrue(
                document.getElementById("confusion")
                        .text()
                        .contains("Test accuracy 0.700 (70.0%)"));
    }

    @Test
    void perClassTableHoldsTheScores() {
        Elements rows = document.select("#per-class table.per-class tbody tr");
        assertEquals(
                List.of("cat", "0.714", "0.833", "0.769", "6"),
                rows.get(0).select("th, td").eachText());
        assertEquals(
                List.of("dog", "0.750", "0.600", "0.667", "10"),
                rows.get(1).select("th, td").eachText());
        assertEquals(
                List.of("<b>&", "0.600", "0.750", "0.667", "4"),
                rows.get(2).select("th, td").eachText());
    }

    @Test
    void comparisonHighlightsTheBestOfEachColumn() {
        Element table = document.selectFirst("#comparison table.comparison");
        assertEquals(
                List.of("model", "clean", "hard", "accuracy", "macro-F1", "accuracy", "macro-F1"),
                table.select("thead th").eachText());
        List<String> best = new ArrayList<>();
        for (Element row : table.select("tbody tr")) {
            Elements cells = row.select("td");
            for (int column = 0; column < cells.size(); column++) {
                if (cells.get(column).hasClass("best")) {
                    best.add(
                            row.selectFirst("th").text()
                                    + " @"
                                    + column
                                    + " "
                                    + cells.get(column).text());
                }
            }
        }
        assertEquals(
                List.of(
                        "cross-attention (pairwise) @1 0.940",
                        "cross-attention (pairwise) @2 0.900 (90.0%)",
                        "cross-attention (pairwise) @3 0.880",
                        "early fusion @0 0.960 (96.0%)"),
                best);
        assertEquals(4, table.select("td.best strong").size());
    }

    @Test
    void robustnessTableHoldsEveryCondition() {
        Elements rows = document.select("#robustness table.robustness tbody tr");
        List<String> text = rows.stream().map(Element::text).toList();
        assertEquals(
                List.of(
                        "both modalities 0.950 (95.0%)",
                        "image missing 0.610 (61.0%)",
                        "audio missing 0.580 (58.0%)",
                        "image noise σ=0.1 0.930 (93.0%)",
                        "image noise σ=0.4 0.800 (80.0%)",
                        "audio SNR 0 dB 0.715 (71.5%)"),
                text);
    }

    @Test
    void everyImageIsAnEmbeddedPng() throws IOException {
        // curves: loss, learning rate, accuracy/macro-F1, validation loss; one heat map; one F1
        // chart; accuracy and macro-F1 comparison charts; one robustness chart.
        assertEquals(4, document.select("#curves img").size());
        assertEquals(1, document.select("#confusion img").size());
        assertEquals(1, document.select("#per-class img").size());
        assertEquals(2, document.select("#comparison img").size());
        assertEquals(1, document.select("#robustness img").size());
        for (Element image : document.select("img")) {
            BufferedImage png = decode(image.attr("src"));
            assertTrue(png.getWidth() >= 300, image.attr("alt") + ": width " + png.getWidth());
            assertTrue(png.getHeight() >= 200, image.attr("alt") + ": height " + png.getHeight());
            assertFalse(image.attr("alt").isBlank());
        }
    }

    @Test
    void userTextIsEscaped() {
        assertTrue(html.contains("<th scope=\"row\">&lt;b&gt;&amp;</th>"));
        assertTrue(html.contains("<title>Braid demo &amp; &lt;report&gt;</title>"));
        assertTrue(document.select("b").isEmpty(), "a class name became markup");
        assertTrue(document.select("report, pairwise").isEmpty(), "user text became markup");
        assertEquals("Braid demo & <report>", document.title());
    }

    @Test
    void writesOneFileAndNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(reportFile.getParent())) {
            assertEquals(List.of(reportFile), files.toList());
        }
        assertFalse(html.contains("src=\"http"), "the report must not link outside itself");
    }

    @Test
    void tablesThatWereNotRunSaySo(@TempDir Path other) throws IOException {
        Path log = ReportFixtures.writeLog(other);
        Path file = other.resolve("report.html");
        HtmlReport.write(
                ReportFixtures.data(log, ComparisonTable.none(), RobustnessTable.none()), file);
        Document page = Jsoup.parse(file.toFile(), "UTF-8");
        assertEquals("Not run.", page.selectFirst("#comparison .not-run").text());
        assertEquals("Not run.", page.selectFirst("#robustness .not-run").text());
        assertTrue(page.select("#comparison table, #robustness img").isEmpty());
    }

    @Test
    void aMissingLogIsAnErrorNamingIt(@TempDir Path other) {
        Path missing = other.resolve("nowhere").resolve("log.jsonl");
        Path file = other.resolve("report.html");
        NoSuchFileException error =
                assertThrows(
                        NoSuchFileException.class,
                        () ->
                                HtmlReport.write(
                                        ReportFixtures.data(
                                                missing,
                                                ComparisonTable.none(),
                                                RobustnessTable.none()),
                                        file));
        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("training log"), error.getMessage());
        assertFalse(Files.exists(file));
    }

    /** Writes the report and its charts under target/ for a person to open. */
    @Test
    void writesAnExampleForPeople() throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Path example = target.resolve("report-example.html");
        Files.copy(reportFile, example, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int index = 0;
        for (Element image : document.select("img")) {
            String src = image.attr("src");
            Files.write(
                    target.resolve("report-example-" + index++ + ".png"),
                    Base64.getDecoder().decode(src.substring(PNG_URI.length())));
        }
        assertTrue(Files.size(example) > 10_000);
    }

    private static BufferedImage decode(String src) throws IOException {
        assertTrue(src.startsWith(PNG_URI), src.substring(0, Math.min(40, src.length())));
        byte[] bytes = Base64.getDecoder().decode(src.substring(PNG_URI.length()));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "not a readable PNG");
        return image;
    }

    /** The text of the cell beside the row header {@code name} in {@code table}. */
    private static String cell(Element section, String table, String name) {
        for (Element row : section.select(table + " tbody tr")) {
            if (row.selectFirst("th").text().equals(name)) {
                return row.selectFirst("td").wholeText();
            }
        }
        throw new AssertionError("no row " + name + " in " + table);
    }
}
