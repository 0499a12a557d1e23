package dev.braid.apps;

import dev.braid.apps.support.DecodingSettings;
import dev.braid.apps.support.StreamedText;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.UnreadableInputException;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import dev.braid.text.tokenize.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid generate --model DIR [--text …] [--image FILE] [--audio FILE] [--strategy …]}: the
 * reply a model with a generation head writes for one ticket, printed as it is written, then the
 * heads' labels.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Write the reply to one sample with a model that has a generation head.")
final class GenerateCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            description = "A model directory with a generation head (written by braid replies).")
    Path model;

    @Option(names = "--text", description = "The message.")
    String text;

    @Option(names = "--image", description = "An image file (PNG, JPEG, BMP, WebP).")
    Path image;

    @Option(names = "--audio", description = "A WAV file.")
    Path audio;

    @Option(names = "--strategy", description = "greedy (default), sample or beam.")
    String strategy;

    @Option(names = "--temperature", description = "Sampling temperature, (0, 5].")
    String temperature;

    @Option(names = "--top-k", description = "Keep the k most likely tokens (0: all).")
    String topK;

    @Option(names = "--top-p", description = "Nucleus: keep the smallest set of mass p, (0, 1].")
    String topP;

    @Option(names = "--max-tokens", description = "The longest reply, 1 to 128 (default 64).")
    String maxTokens;

    @Option(names = "--seed", description = "Seeds sampling (default 7).")
    String seed;

    @Override
    public Integer call() throws Exception {
        if (text == null && image == null && audio == null) {
            throw new IllegalArgumentException("give at least one of --text, --image, --audio");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "strategy", strategy);
        put(fields, "temperature", temperature);
        put(fields, "topK", topK);
        put(fields, "topP", topP);
        put(fields, "maxTokens", maxTokens);
        put(fields, "seed", seed);
        DecodingSettings settings;
        try {
            settings = DecodingSettings.parse(fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionOf(e.getMessage()) + e.getMessage(), e);
        }
        Map<Modality, byte[]> inputs = new TreeMap<>();
        if (text != null) {
            inputs.put(Modality.TEXT, text.getBytes(StandardCharsets.UTF_8));
        }
        if (image != null) {
            inputs.put(Modality.IMAGE, Files.readAllBytes(InputFiles.file("--image", image)));
        }
        if (audio != null) {
            inputs.put(Modality.AUDIO, Files.readAllBytes(InputFiles.file("--audio", audio)));
        }
        InputFiles.directory("--model", model);
        try (FusionPredictor predictor = FusionPredictor.load(model)) {
            if (!predictor.generates()) {
                throw new IllegalArgumentException(
                        "--model "
                                + model
                                + ": the model has no generation head; train one with braid"
                                + " replies");
            }
            Tokenizer tokenizer = predictor.tokenizer();
            StreamedText printer =
                    new StreamedText(
                            tokenizer,
                            piece -> {
                                System.out.print(piece);
                                System.out.flush();
                            });
            FusionPredictor.Reply reply;
            try {
                reply =
                        predictor.reply(
                                inputs,
                                settings.toConfig(tokenizer.specialTokens().sep()),
                                printer);
            } catch (UnreadableInputException e) {
                throw InputFiles.unreadable(e, image, audio);
            }
            printer.finish(reply.reply().text());
            System.out.println();
            for (Map.Entry<String, Prediction.HeadPrediction> head :
                    reply.prediction().heads().entrySet()) {
                System.out.printf(
                        "%s: %s (%.0f%%)%n",
                        head.getKey(), head.getValue().label(), 100 * head.getValue().value());
            }
        }
        return 0;
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    /** "--top-k: " for a message about topK, and so on. */
    private static String optionOf(String message) {
        for (String[] pair :
                new String[][] {
                    {"strategy", "--strategy"},
                    {"temperature", "--temperature"},
                    {"topK", "--top-k"},
                    {"topP", "--top-p"},
                    {"maxTokens", "--max-tokens"},
                    {"seed", "--seed"}
                }) {
            if (message.startsWith(pair[0] + " ")) {
                return pair[1] + ": ";
            }
        }
        return "";
    }
}
