package dev.braid.apps;

import dev.braid.apps.report.ComparisonTable;
import dev.braid.apps.report.DatasetSize;
import dev.braid.apps.report.RobustnessTable;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.train.ConsoleProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid demo}: the main job. On the shipped AV-MNIST digits, clean and hard, trains the
 * default cross-attention model and four baselines with the same budget, prints the comparison,
 * measures the fused model's robustness, and writes a report.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Train cross-attention fusion and the image-only, audio-only, early- and late-fusion"
                    + " baselines on the shipped AV-MNIST digits (clean and hard), print the"
                    + " comparison and robustness tables, write OUT/report.html."
        })
final class DemoCommand implements Callable<Integer> {

    /** The models compared, as ready-made configurations. */
    static final Map<String, String> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("cross-attention (gated)", "avmnist-gated");
        MODELS.put("image only", "avmnist-image-only");
        MODELS.put("audio only", "avmnist-audio-only");
        MODELS.put("early fusion", "avmnist-early");
        MODELS.put("late fusion", "avmnist-late");
    }

    /** The two settings: the clean digits and the degraded ones. */
    static final Map<String, String> SETTINGS =
            Map.of("clean", "data/avmnist", "hard", "data/avmnist-hard");

    @Option(
            names = "--epochs",
            defaultValue = "4",
            description = "Epochs per model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--data",
            defaultValue = ".",
            description =
                    "The folder holding data/avmnist and data/avmnist-hard (default: the working directory).")
    Path root;

    @Option(
            names = "--out",
            defaultValue = "runs/demo",
            description = "Where models and the report go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> settings = List.of("clean", "hard");
        List<ComparisonTable.Row> rows = new ArrayList<>();
        Map<String, TrainingRun.Result> fused = new LinkedHashMap<>();
        Map<String, RunConfig> fusedConfigs = new LinkedHashMap<>();
        for (Map.Entry<String, String> model : MODELS.entrySet()) {
            List<ComparisonTable.Score> scores = new ArrayList<>();
            for (String setting : settings) {
                Path data = root.resolve(SETTINGS.get(setting));
                System.out.printf("%n== %s, %s ==%n", model.getKey(), setting);
                RunConfig config =
                        comparedRun(
                                model.getValue(),
                                data,
                                epochs,
                                out.resolve(setting).resolve(model.getValue()));
                TrainingRun.Result result =
                        new TrainingRun(config).run(List.of(ConsoleProgress.forConsole()));
                double accuracy = result.test().metric("label/accuracy");
                double macroF1 = result.test().metric("label/macro_f1");
                System.out.printf(
                        "test accuracy %.3f, macro-F1 %.3f (%.0f s)%n",
                        accuracy, macroF1, result.seconds());
                scores.add(new ComparisonTable.Score(accuracy, macroF1));
                if (model.getValue().equals("avmnist-gated")) {
                    fused.put(setting, result);
                    fusedConfigs.put(setting, config);
                }
            }
            rows.add(new ComparisonTable.Row(model.getKey(), scores));
        }
        ComparisonTable comparison = new ComparisonTable(settings, rows);
        System.out.println();
        System.out.println(comparisonText(comparison));

        RunConfig cleanConfig = fusedConfigs.get("clean");
        RobustnessTable robustness =
                Robustness.measure(
                        fused.get("clean").modelDir(),
                        Manifest.read(root.resolve(SETTINGS.get("clean"))));
        System.out.println("Robustness of cross-attention fusion (clean test set):");
        robustness
                .rows()
                .forEach(
                        r ->
                                System.out.printf(
                                        "  %-22s %6.1f%%%n", r.condition(), 100 * r.accuracy()));

        List<DatasetSize> sizes = new ArrayList<>();
        for (String setting : settings) {
            sizes.add(
                    new DatasetSize(
                            "avmnist (" + setting + ")",
                            Manifest.read(root.resolve(SETTINGS.get(setting))).entries().size()));
        }
        Path report = Reports.write(cleanConfig, fused.get("clean"), sizes, comparison, robustness);
        System.out.printf("%nReport: %s%n", report.toAbsolutePath());
        return 0;
    }

    /**
     * A ready configuration set to one dataset, epoch budget and output folder, which is emptied
     * first: a comparison trains every model afresh, never resuming an earlier run.
     */
    static RunConfig comparedRun(String config, Path data, int epochs, Path output)
            throws java.io.IOException {
        return comparedRun(config, data, epochs, output, List.of());
    }

    /** As above, with {@code more} overrides applied after those. */
    static RunConfig comparedRun(
            String config, Path data, int epochs, Path output, List<String> more)
            throws java.io.IOException {
        List<String> overrides = new java.util.ArrayList<>();
        overrides.add("data=[{path: \"" + data + "\", weight: 1}]");
        overrides.add("training.epochs=" + epochs);
        overrides.add("output=\"" + output + "\"");
        overrides.addAll(more);
        RunConfig run = ReadyConfigs.load(config, overrides);
        deleteRecursively(output);
        return run;
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    static String comparisonText(ComparisonTable table) {
        StringBuilder s = new StringBuilder(String.format("%-28s", "test accuracy / macro-F1"));
        table.settings().forEach(setting -> s.append(String.format(" %17s", setting)));
        s.append('\n');
        for (ComparisonTable.Row row : table.rows()) {
            s.append(String.format("%-28s", row.model()));
            row.scores()
                    .forEach(
                            score ->
                                    s.append(
                                            String.format(
                                                    "    %5.1f%% / %.3f",
                                                    100 * score.accuracy(), score.macroF1())));
            s.append('\n');
        }
        return s.toString();
    }
}
