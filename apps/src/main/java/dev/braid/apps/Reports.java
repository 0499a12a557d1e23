package dev.braid.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.apps.report.ComparisonTable;
import dev.braid.apps.report.DatasetSize;
import dev.braid.apps.report.HeadResult;
import dev.braid.apps.report.HtmlReport;
import dev.braid.apps.report.ReportData;
import dev.braid.apps.report.RobustnessTable;
import dev.braid.apps.report.RunSummary;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes {@code OUTPUT/report.html} for a finished run. */
final class Reports {

    private Reports() {}

    /** The datasets of a run with their row counts. */
    static List<DatasetSize> sizes(TrainingRun run) {
        return run.datasets().stream()
                .map(d -> new DatasetSize(d.name(), d.entries().size()))
                .toList();
    }

    static Path write(RunConfig config, TrainingRun.Result result, List<DatasetSize> datasets)
            throws IOException {
        return write(config, result, datasets, ComparisonTable.none(), RobustnessTable.none());
    }

    static Path write(
            RunConfig config,
            TrainingRun.Result result,
            List<DatasetSize> datasets,
            ComparisonTable comparison,
            RobustnessTable robustness)
            throws IOException {
        List<HeadResult> heads = new ArrayList<>();
        result.test()
                .classification()
                .forEach((name, metrics) -> heads.add(HeadResult.of(name, metrics)));
        RunSummary summary =
                new RunSummary(
                        Instant.now(),
                        ModelDirectory.BRAID_VERSION,
                        config.training().seed(),
                        datasets,
                        new ObjectMapper()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(config),
                        Duration.ofMillis(Math.round(result.seconds() * 1000)),
                        Evaluation.headline(result.test().metrics()),
                        Evaluation.headline(
                                result.validation() == null
                                        ? result.test().metrics()
                                        : result.validation().metrics()));
        Path file = Path.of(config.output(), "report.html");
        HtmlReport.write(
                new ReportData(
                        config.name(),
                        summary,
                        Path.of(config.output(), "log.jsonl"),
                        heads,
                        comparison,
                        robustness),
                file);
        return file;
    }
}
