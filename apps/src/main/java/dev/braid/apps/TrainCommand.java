package dev.braid.apps;

import dev.braid.apps.run.DataRunConfig;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.inspect.FeatureChoice;
import dev.braid.fusion.train.ConsoleProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code braid train (--config FILE | --data DIR [--modalities ...]) [--set key=value ...]}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a fusion model from a YAML configuration, or from a dataset alone; writes"
                    + " OUTPUT/model, OUTPUT/log.jsonl, OUTPUT/checkpoint and OUTPUT/report.html.",
            "Feature settings a configuration leaves out are derived from the training split and"
                    + " printed. A run that finds a checkpoint in its output folder resumes it."
        })
final class TrainCommand implements Callable<Integer> {

    /** Where the run comes from: a configuration, or a dataset. */
    static final class Source {
        @Option(
                names = "--config",
                required = true,
                description =
                        "A YAML file, or a ready-made configuration: avmnist-pairwise, avmnist-latent, avmnist-gated, avmnist-early, avmnist-late, avmnist-gmu, avmnist-image-only, avmnist-audio-only, support-fused, support-fused-bilingual, support-fused-bilingual-both, support-fused-pretrained, support-fused-speech, support-text-only, support-image-only, support-audio-only, support-audio-speech, peer-shape, speech-pretrain.")
        String config;

        @Option(
                names = "--data",
                required = true,
                description =
                        "Train on this dataset with no configuration file (a folder with"
                                + " manifest.jsonl, a CSV/TSV table, or a folder per class): the"
                                + " modalities its training split has, every feature setting"
                                + " derived from it; braid init DATA writes that configuration.")
        Path data;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(
            names = "--modalities",
            split = ",",
            description =
                    "With --data: the modalities to read, e.g. TEXT,AUDIO (default: those the"
                            + " training split has).")
    List<Modality> modalities = new ArrayList<>();

    @Option(
            names = "--set",
            description = "Override one field, e.g. --set training.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (source.data == null && !modalities.isEmpty()) {
            throw new IllegalArgumentException(
                    "--modalities goes with --data; with --config, set model.modalities");
        }
        RunConfig run =
                source.data != null
                        ? DataRunConfig.of(
                                InputFiles.dataset("--data", source.data), modalities, overrides)
                        : ReadyConfigs.load(source.config, overrides);
        System.out.printf(
                "Training '%s' (%s) -> %s%n",
                run.name(),
                String.join(", ", run.model().modalities().stream().map(Modality::field).toList()),
                Path.of(run.output()).toAbsolutePath());
        TrainingRun training = new TrainingRun(run);
        List<FeatureChoice> derived = training.derivedFeatures();
        if (!derived.isEmpty()) {
            System.out.println("Feature settings derived from the training split:");
            derived.forEach(
                    c -> System.out.printf("  %-24s %-6s %s%n", c.field(), c.value(), c.reason()));
        }
        TrainingRun.Result result = training.run(List.of(ConsoleProgress.forConsole()));
        Path report = Reports.write(run, result, Reports.sizes(training));
        System.out.println();
        System.out.println(Tables.metrics("test", result.test()));
        System.out.printf(
                "Model: %s%nReport: %s%n", result.modelDir(), Path.of(run.output(), "report.html"));
        return 0;
    }
}
