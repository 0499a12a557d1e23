package dev.braid.apps;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.train.MlmPretrainer;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.pretrain.MaskedLanguageModel;
import dev.braid.text.pretrain.SavedTextEncoder;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import dev.braid.text.tokenize.EncodedBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Braid's text side end to end: trains a BPE tokenizer on a small bilingual corpus of customer
 * messages shipped in the jar, pre-trains a Transformer encoder on it as a masked-language model,
 * saves it, and encodes a sentence.
 */
@Command(
        name = "text-demo",
        mixinStandardHelpOptions = true,
        description = "Train a tokenizer and pre-train a text encoder (MLM) on the shipped corpus.")
final class TextDemo implements Callable<Integer> {

    /** The demo's settings, in one place. */
    record Settings(int vocabularySize, int steps, int batchSize, float learningRate, long seed) {
        static Settings defaults() {
            return new Settings(1000, 300, 32, 2e-3f, 42);
        }
    }

    @Option(names = "--steps", description = "MLM pre-training steps (default: ${DEFAULT-VALUE}).")
    int steps = Settings.defaults().steps();

    @Option(names = "--out", description = "Where to save the encoder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "text-demo");

    @Option(
            names = "--data",
            description =
                    "Pre-train on the texts of this dataset's training rows instead of the shipped"
                            + " corpus (e.g. data/support, to fine-tune on its tickets after).")
    Path data;

    @Option(names = "--vocabulary", description = "Tokenizer size (default: ${DEFAULT-VALUE}).")
    int vocabularySize = Settings.defaults().vocabularySize();

    @Option(
            names = "--max-length",
            description =
                    "The longest text the encoder reads, in tokens; a run fine-tuning it needs"
                            + " features.textMaxLength at most this (default: ${DEFAULT-VALUE}).")
    int maxLength = 48;

    @Option(
            names = "--feed-forward",
            description =
                    "The encoder's feed-forward width; a fine-tuning run's own text encoder has"
                            + " twice model.width (default: ${DEFAULT-VALUE}).")
    int feedForwardWidth = 256;

    @Option(
            names = "--dropout",
            description =
                    "The encoder's dropout, kept when it is fine-tuned (default: ${DEFAULT-VALUE}).")
    float dropout = 0f;

    @Override
    public Integer call() throws IOException {
        Settings s = Settings.defaults();
        List<String> corpus = data == null ? readCorpus() : trainingTexts(data);
        System.out.printf(
                "Corpus: %d customer messages (English and Chinese)%s%n",
                corpus.size(), data == null ? "" : ", the training texts of " + data);

        ByteLevelBpeTokenizer tokenizer =
                new BpeTrainer(new BpeTrainer.Config(vocabularySize, 2)).train(corpus);
        System.out.printf("Tokenizer: byte-level BPE, %d tokens%n", tokenizer.vocabularySize());
        String sentence = "My headphones arrived broken, 我要退款 😞";
        int[] ids = tokenizer.encode(sentence);
        StringBuilder pieces = new StringBuilder();
        for (int id : ids) {
            pieces.append('[').append(tokenizer.tokenText(id)).append(']');
        }
        System.out.printf("  \"%s\" -> %d tokens: %s%n", sentence, ids.length, pieces);

        try (NDManager manager = NDManager.newBaseManager()) {
            TextEncoderConfig config =
                    TextEncoderConfig.small(tokenizer.vocabularySize()).toBuilder()
                            .maxLength(maxLength)
                            .feedForwardWidth(feedForwardWidth)
                            .dropout(dropout)
                            .build();
            MaskedLanguageModel model = new MaskedLanguageModel(new TransformerTextEncoder(config));
            MlmPretrainer.Config training =
                    new MlmPretrainer.Config(
                            steps, s.batchSize(), s.learningRate(), 0.01f, 0.15, s.seed());
            float[] losses;
            ProgressBarBuilder progress =
                    new ProgressBarBuilder()
                            .setTaskName("MLM pre-training")
                            .setInitialMax(steps)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUpdateIntervalMillis(250);
            if (System.console() == null) {
                // a file or a pipe (a CI log): a whole line every 5 s, no redraws
                progress.setUpdateIntervalMillis(5000)
                        .setConsumer(new DelegatingProgressBarConsumer(System.err::println));
            }
            try (ProgressBar bar = progress.build()) {
                losses =
                        new MlmPretrainer(training)
                                .train(
                                        model,
                                        tokenizer,
                                        corpus,
                                        manager,
                                        (step, total, loss) -> {
                                            bar.step();
                                            bar.setExtraMessage(String.format(" loss %.3f", loss));
                                        });
            }
            int window = Math.min(20, steps);
            System.out.printf(
                    "MLM loss: %.3f (first %d steps) -> %.3f (last %d steps)%n",
                    mean(losses, 0, window), window, mean(losses, steps - window, steps), window);

            new SavedTextEncoder(model.encoder(), tokenizer).save(out);
            System.out.println("Saved the pre-trained encoder to " + out.toAbsolutePath());

            EncodedBatch batch = tokenizer.encodeBatch(List.of(sentence), config.maxLength());
            NDList encoded =
                    model.encoder()
                            .forward(
                                    new ParameterStore(manager, false),
                                    batch.toNDList(manager),
                                    false);
            System.out.printf(
                    "Encoded the sentence: tokens %s, mask %s%n",
                    encoded.get(0).getShape(), encoded.get(1).getShape());
        }
        return 0;
    }

    private static List<String> trainingTexts(Path dataset) throws IOException {
        List<String> texts = new ArrayList<>();
        for (ManifestEntry e : Manifest.read(dataset).entries(Split.TRAIN)) {
            if (e.has(Modality.TEXT)) {
                texts.add(e.inputs().get(Modality.TEXT));
            }
        }
        return texts;
    }

    private static List<String> readCorpus() throws IOException {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                TextDemo.class.getResourceAsStream("/demo/tickets.txt"),
                                StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private static float mean(float[] values, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
