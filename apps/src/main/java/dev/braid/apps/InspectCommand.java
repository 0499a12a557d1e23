package dev.braid.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.fusion.data.ManifestCheck;
import dev.braid.fusion.data.inspect.DatasetInspection;
import dev.braid.fusion.data.inspect.DatasetInspector;
import dev.braid.fusion.data.layout.DatasetLayout;
import dev.braid.fusion.data.layout.StratifiedSplit;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code braid inspect DATA [--json]}. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Report what a dataset holds before training on it: every problem (file, line, field),"
                    + " then per split the rows, labels, modalities, images, audio and texts,"
                    + " files shared between splits, duplicate rows, and the feature settings"
                    + " braid train would derive from the training split.",
            "DATA is a folder with manifest.jsonl, a CSV/TSV table, or a folder per class."
        })
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DATA", description = "The dataset.")
    Path data;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin SplitOptions split;

    @Mixin ImageLimitOptions imageLimits;

    @Override
    public Integer call() throws Exception {
        ManifestCheck check = DatasetLayout.check(InputFiles.dataset("DATA", data), split.split());
        DatasetInspection inspection = new DatasetInspector(imageLimits.decoding()).inspect(check);
        if (json) {
            System.out.println(
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(inspection));
        } else {
            System.out.print(InspectionText.of(inspection));
        }
        return inspection.problems().isEmpty() ? 0 : 1;
    }

    /** The split given to rows that have none. */
    static final class SplitOptions {
        @Option(
                names = "--split-seed",
                defaultValue = "42",
                description =
                        "Seed of the stratified split given to table or folder rows without a"
                                + " split (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--val-fraction",
                defaultValue = "0.1",
                description = "Their share for validation (default: ${DEFAULT-VALUE}).")
        double val;

        @Option(
                names = "--test-fraction",
                defaultValue = "0.1",
                description = "Their share for test (default: ${DEFAULT-VALUE}).")
        double test;

        StratifiedSplit split() {
            return new StratifiedSplit(val, test, seed);
        }
    }
}
