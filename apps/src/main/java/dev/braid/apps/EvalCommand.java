package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.layout.DatasetLayout;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluation;
import dev.braid.fusion.train.Evaluator;
import dev.braid.text.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code braid eval --model DIR --data DIR [--split test]}. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Score a trained model on one split of a dataset.")
final class EvalCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            description = "A model directory written by braid train (OUTPUT/model).")
    Path model;

    @Option(
            names = "--data",
            required = true,
            description =
                    "A dataset: a folder with manifest.jsonl, a CSV/TSV table, or a folder per class.")
    Path data;

    @Option(
            names = "--split",
            defaultValue = "TEST",
            description = "TRAIN, VAL or TEST (default: ${DEFAULT-VALUE}).")
    Split split;

    @Mixin ImageLimitOptions imageLimits;

    @Override
    public Integer call() throws Exception {
        ModelDirectory description = ModelDirectory.read(InputFiles.directory("--model", model));
        Dataset dataset = DatasetLayout.read(InputFiles.dataset("--data", data));
        Tokenizer tokenizer = description.tokenizer(model);
        FeatureExtractor extractor =
                FeatureExtractor.of(tokenizer, description.features())
                        .withDecoding(imageLimits.decoding());
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel fusionModel = description.loadModel(model, manager);
            Evaluation evaluation =
                    Evaluator.evaluate(
                            fusionModel,
                            manager,
                            dataset.entries(split),
                            extractor,
                            description.schema(),
                            Set.of());
            System.out.print(
                    Tables.metrics(dataset.name() + " " + split.name().toLowerCase(), evaluation));
        }
        return 0;
    }
}
