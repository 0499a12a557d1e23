package dev.braid.apps;

import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.SpeechPretraining;
import dev.braid.fusion.train.ConsoleProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid pretrain-audio}: pre-trains the customer-service model's spectrogram encoder on a
 * synthetic speech corpus ({@code tools/speech/make_corpus.py}) and saves it for {@code
 * model.pretrainedAudio}.
 */
@Command(
        name = "pretrain-audio",
        mixinStandardHelpOptions = true,
        description = {
            "Pre-train the spectrogram encoder on a speech corpus (made by"
                    + " tools/speech/make_corpus.py): an audio-only model learns which words each"
                    + " clip says; its encoder is saved to OUT for model.pretrainedAudio.",
            "Prints the training loss of every epoch."
        })
final class PretrainAudioCommand implements Callable<Integer> {

    @Option(
            names = "--corpus",
            defaultValue = "runs/speech-corpus",
            description =
                    "The corpus, a Braid dataset with a 'words' head (default: ${DEFAULT-VALUE}).")
    Path corpus;

    @Option(
            names = "--out",
            defaultValue = "runs/speech-encoder",
            description =
                    "Where the encoder goes (default: ${DEFAULT-VALUE}; the shipped one is"
                            + " pretrained/speech-encoder).")
    Path out;

    @Option(
            names = "--config",
            defaultValue = "speech-pretrain",
            description =
                    "The pre-training run: a YAML file or a ready-made configuration (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(
            names = "--set",
            description = "Override one field, e.g. --set training.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(corpus.resolve("manifest.jsonl"))) {
            throw new IllegalArgumentException(
                    "--corpus "
                            + corpus
                            + ": no manifest.jsonl; make the corpus first: /usr/bin/python3"
                            + " tools/speech/make_corpus.py --out "
                            + corpus);
        }
        List<String> all = new ArrayList<>();
        all.add("data=[{path: \"" + corpus + "\", weight: 1}]");
        all.addAll(overrides);
        RunConfig run = ReadyConfigs.load(config, all);
        System.out.printf(
                "Pre-training the audio encoder on %s (%s) -> %s%n",
                corpus, run.name(), out.toAbsolutePath());
        SpeechPretraining.Result result =
                new SpeechPretraining(run).run(out, List.of(ConsoleProgress.forConsole()));
        System.out.println();
        List<Double> losses = result.epochLosses();
        for (int e = 0; e < losses.size(); e++) {
            System.out.printf("epoch %d: mean training loss %.4f%n", e + 1, losses.get(e));
        }
        for (Map.Entry<String, Double> m : result.run().test().metrics().entrySet()) {
            if (!m.getKey().contains("/precision/")
                    && !m.getKey().contains("/recall/")
                    && !m.getKey().contains("/f1/")
                    && !m.getKey().contains("/support/")) {
                System.out.printf("held-out clips %s: %.4f%n", m.getKey(), m.getValue());
            }
        }
        System.out.printf(
                "Encoder: %s (%.0f s); fine-tune it with --set model.pretrainedAudio=%s%n",
                out, result.run().seconds(), out);
        return 0;
    }
}
