package dev.braid.apps;

import dev.braid.apps.report.ComparisonTable;
import dev.braid.apps.report.DatasetSize;
import dev.braid.apps.report.RobustnessTable;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.apps.support.FusionTicketRouter;
import dev.braid.apps.support.SupportModel;
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
 * {@code braid support-demo}: on the shipped customer-service tickets, trains the fused model and
 * the text-only, image-only and audio-only baselines with the same budget and prints each task's
 * held-out accuracy and macro-F1.
 */
@Command(
        name = "support-demo",
        mixinStandardHelpOptions = true,
        description = {
            "Train the customer-service model (message, photo and voice note fused) and its"
                    + " text-only, image-only and audio-only baselines on data/support; print the"
                    + " test accuracy and macro-F1 of intent, product and urgency; write"
                    + " OUT/support-fused/report.html. Takes about half an hour on 2 cores."
        })
final class SupportDemoCommand implements Callable<Integer> {

    /** The models compared, as ready-made configurations. */
    static final Map<String, String> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("fused (text+image+audio)", "support-fused");
        MODELS.put("text only", "support-text-only");
        MODELS.put("image only", "support-image-only");
        MODELS.put("audio only", "support-audio-only");
    }

    @Option(
            names = "--epochs",
            defaultValue = "8",
            description = "Epochs per model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--data",
            defaultValue = "data/support",
            description = "The tickets (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--out",
            defaultValue = "runs/support-demo",
            description = "Where models and the report go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--models",
            split = ",",
            paramLabel = "CONFIG",
            description =
                    "Compare these ready-made configurations (or YAML files) instead, each row"
                            + " named by the configuration's name, e.g."
                            + " --models support-fused,support-fused-bilingual.")
    List<String> models;

    @Option(
            names = "--set",
            description =
                    "Override one field of every model's configuration, e.g. --set"
                            + " training.frozenEncoders=[AUDIO] (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> compared = MODELS;
        if (models != null) {
            compared = new LinkedHashMap<>();
            for (String model : models) {
                compared.put(ReadyConfigs.load(model, List.of()).name(), model);
            }
        }
        List<String> tasks = FusionTicketRouter.HEADS;
        List<ComparisonTable.Row> rows = new ArrayList<>();
        Map<String, Path> modelDirs = new LinkedHashMap<>();
        RunConfig fusedConfig = null;
        TrainingRun.Result fused = null;
        for (Map.Entry<String, String> model : compared.entrySet()) {
            System.out.printf("%n== %s ==%n", model.getKey());
            // the folder is the configuration's name (a file given as a path must not be it)
            String folder = models == null ? model.getValue() : model.getKey();
            RunConfig config =
                    DemoCommand.comparedRun(
                            model.getValue(), data, epochs, out.resolve(folder), overrides);
            TrainingRun.Result result =
                    new TrainingRun(config).run(List.of(ConsoleProgress.forConsole()));
            List<ComparisonTable.Score> scores = new ArrayList<>();
            for (String task : tasks) {
                scores.add(
                        new ComparisonTable.Score(
                                result.test().metric(task + "/accuracy"),
                                result.test().metric(task + "/macro_f1")));
            }
            rows.add(new ComparisonTable.Row(model.getKey(), scores));
            modelDirs.put(model.getKey(), result.modelDir());
            System.out.printf("done in %.0f s%n", result.seconds());
            if (model.getValue().equals(SupportModel.CONFIG) || fused == null) {
                fused = result;
                fusedConfig = config;
                SupportModel.copyReplies(data, result.modelDir());
            }
        }
        ComparisonTable comparison = new ComparisonTable(tasks, rows);
        System.out.println();
        System.out.println(DemoCommand.comparisonText(comparison));
        System.out.println("Test accuracy by where the ticket states the answer:");
        System.out.println(
                SourceBreakdown.format(
                        SourceBreakdown.measure(Manifest.read(data), modelDirs, tasks),
                        new ArrayList<>(compared.keySet())));
        Path report =
                Reports.write(
                        fusedConfig,
                        fused,
                        List.of(
                                new DatasetSize(
                                        "support tickets", Manifest.read(data).entries().size())),
                        comparison,
                        RobustnessTable.none());
        System.out.printf(
                "Report: %s%nServe the fused model: braid serve --model %s%n",
                report.toAbsolutePath(), fused.modelDir());
        return 0;
    }
}
