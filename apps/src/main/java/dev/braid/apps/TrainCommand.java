package dev.braid.apps;

import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.train.ConsoleProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code braid train --config FILE [--set key=value ...]}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a fusion model from a YAML configuration; writes OUTPUT/model, OUTPUT/log.jsonl,"
                    + " OUTPUT/checkpoint and OUTPUT/report.html.",
            "A run that finds a checkpoint in its output folder resumes it."
        })
final class TrainCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            required = true,
            description =
                    "A YAML file, or a ready-made configuration: avmnist-pairwise, avmnist-latent, avmnist-gated, avmnist-early, avmnist-late, avmnist-gmu, avmnist-image-only, avmnist-audio-only, support-fused, support-text-only, support-image-only, support-audio-only, support-fused-speech, support-audio-speech, peer-shape, speech-pretrain.")
    String config;

    @Option(
            names = "--set",
            description = "Override one field, e.g. --set training.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RunConfig run = ReadyConfigs.load(config, overrides);
        System.out.printf(
                "Training '%s' -> %s%n", run.name(), Path.of(run.output()).toAbsolutePath());
        TrainingRun training = new TrainingRun(run);
        TrainingRun.Result result = training.run(List.of(ConsoleProgress.forConsole()));
        Path report = Reports.write(run, result, Reports.sizes(training));
        System.out.println();
        System.out.println(Tables.metrics("test", result.test()));
        System.out.printf(
                "Model: %s%nReport: %s%n", result.modelDir(), Path.of(run.output(), "report.html"));
        return 0;
    }
}
