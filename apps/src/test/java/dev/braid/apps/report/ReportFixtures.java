package dev.braid.apps.report;

import dev.braid.fusion.metrics.ClassScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small run written by hand: its numbers are worked out in the comments, not by the code under
 * test.
 */
final class ReportFixtures {

    /** A class name that must be escaped. */
    static final String ODD_CLASS = "<b>&";

    /**
     * Truth down, predicted across. Column sums 7, 8, 5; row sums 6, 10, 4; trace 14 of 20, so
     * accuracy 0.700.
     */
    static final int[][] CONFUSION = {
        {5, 1, 0},
        {2, 6, 2},
        {0, 1, 3},
    };

    /**
     * cat: P 5/7 = 0.714, R 5/6 = 0.833, F1 2·5/(7+6) = 10/13 = 0.769, support 6. dog: P 6/8 =
     * 0.750, R 6/10 = 0.600, F1 12/18 = 0.667, support 10. {@code <b>&}: P 3/5 = 0.600, R 3/4 =
     * 0.750, F1 6/9 = 0.667, support 4.
     */
    static final List<ClassScores> PER_CLASS =
            List.of(
                    new ClassScores("cat", 5 / 7.0, 5 / 6.0, 10 / 13.0, 6),
                    new ClassScores("dog", 6 / 8.0, 6 / 10.0, 12 / 18.0, 10),
                    new ClassScores(ODD_CLASS, 3 / 5.0, 3 / 4.0, 6 / 9.0, 4));

    /**
     * Best per column: clean accuracy early fusion (0.96), clean macro-F1, hard accuracy and hard
     * macro-F1 cross-attention (0.94, 0.90, 0.88).
     */
    static ComparisonTable comparison() {
        return new ComparisonTable(
                List.of("clean", "hard"),
                List.of(
                        row("cross-attention (pairwise)", 0.95, 0.94, 0.90, 0.88),
                        row("image only", 0.60, 0.58, 0.52, 0.50),
                        row("audio only", 0.55, 0.52, 0.53, 0.51),
                        row("early fusion", 0.96, 0.93, 0.70, 0.69),
                        row("late fusion", 0.80, 0.79, 0.65, 0.62)));
    }

    static RobustnessTable robustness() {
        return new RobustnessTable(
                List.of(
                        new RobustnessTable.Row("both modalities", 0.95),
                        new RobustnessTable.Row("image missing", 0.61),
                        new RobustnessTable.Row("audio missing", 0.58),
                        new RobustnessTable.Row("image noise σ=0.1", 0.93),
                        new RobustnessTable.Row("image noise σ=0.4", 0.80),
                        new RobustnessTable.Row("audio SNR 0 dB", 0.715)));
    }

    /**
     * Six steps over two epochs, two epoch lines, an end line, a line of an unknown type, and a
     * last line cut short.
     */
    static Path writeLog(Path directory) throws IOException {
        Path log = directory.resolve("log.jsonl");
        Files.writeString(
                log,
                """
                {"type":"step","step":1,"epoch":0,"loss":1.50,"lr":0.001,"gradNorm":2.0,"samplesPerSecond":300.0}
                {"type":"step","step":2,"epoch":0,"loss":1.20,"lr":0.002,"gradNorm":1.5,"samplesPerSecond":310.5}
                {"type":"step","step":3,"epoch":0,"loss":1.30,"lr":0.003,"gradNorm":1.1}
                {"type":"epoch","epoch":0,"step":3,"metrics":{"loss":1.1,"label/accuracy":0.61,"label/macro_f1":0.58},"improved":true}
                {"type":"step","step":4,"epoch":1,"loss":0.90,"lr":0.003,"gradNorm":0.9}
                {"type":"note","text":"a line of a type the report does not know"}
                {"type":"step","step":5,"epoch":1,"loss":"NaN","lr":0.002,"gradNorm":"NaN"}
                {"type":"step","step":6,"epoch":1,"loss":0.70,"lr":0.001,"gradNorm":0.8}
                {"type":"epoch","epoch":1,"step":6,"metrics":{"loss":0.8,"label/accuracy":0.70,"label/macro_f1":0.68},"improved":true}
                {"type":"end","step":6,"epoch":1,"outcome":"COMPLETED"}
                {"type":"step","step":7,"epo
                """);
        return log;
    }

    static RunSummary summary() {
        Map<String, Double> last = new LinkedHashMap<>();
        last.put("loss", 0.8);
        last.put("label/accuracy", 0.70);
        last.put("label/macro_f1", 0.68);
        return new RunSummary(
                Instant.parse("2026-11-23T12:00:00Z"),
                "0.1.0-SNAPSHOT",
                42,
                List.of(new DatasetSize("train", 1200), new DatasetSize("test", 20)),
                "{\n  \"fusion\": \"cross-attention <pairwise>\",\n  \"width\": 64\n}",
                Duration.ofSeconds(3723),
                last,
                last);
    }

    static ReportData data(Path log, ComparisonTable comparison, RobustnessTable robustness) {
        return new ReportData(
                "Braid demo & <report>",
                summary(),
                log,
                List.of(new HeadResult("label", CONFUSION, PER_CLASS)),
                comparison,
                robustness);
    }

    private static ComparisonTable.Row row(
            String model,
            double cleanAccuracy,
            double cleanF1,
            double hardAccuracy,
            double hardF1) {
        return new ComparisonTable.Row(
                model,
                List.of(
                        new ComparisonTable.Score(cleanAccuracy, cleanF1),
                        new ComparisonTable.Score(hardAccuracy, hardF1)));
    }

    private ReportFixtures() {}
}
