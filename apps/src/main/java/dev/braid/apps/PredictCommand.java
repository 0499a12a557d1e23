package dev.braid.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.fusion.data.UnreadableInputException;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code braid predict --model DIR [--text ...] [--image FILE] [--audio FILE] [--json]}. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Predict one sample from any of its modalities.")
final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            description = "A model directory written by braid train (OUTPUT/model).")
    Path model;

    @Option(names = "--text", description = "The text of the sample.")
    String text;

    @Option(names = "--image", description = "An image file (PNG, JPEG, BMP, WebP).")
    Path image;

    @Option(names = "--audio", description = "A WAV file.")
    Path audio;

    @Option(
            names = "--top",
            defaultValue = "3",
            description = "Classes to show per head (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print the prediction as JSON.")
    boolean json;

    @Mixin ImageLimitOptions imageLimits;

    @Override
    public Integer call() throws Exception {
        if (text == null && image == null && audio == null) {
            throw new IllegalArgumentException("give at least one of --text, --image, --audio");
        }
        byte[] imageBytes = image == null ? null : read("--image", image);
        byte[] audioBytes = audio == null ? null : read("--audio", audio);
        InputFiles.directory("--model", model);
        try (FusionPredictor predictor = FusionPredictor.load(model, imageLimits.decoding())) {
            Prediction prediction;
            try {
                prediction = predictor.predict(text, imageBytes, audioBytes);
            } catch (UnreadableInputException e) {
                throw InputFiles.unreadable(e, image, audio);
            }
            if (json) {
                System.out.println(
                        new ObjectMapper()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(prediction));
                return 0;
            }
            for (Map.Entry<String, Prediction.HeadPrediction> head :
                    prediction.heads().entrySet()) {
                System.out.printf("%s: %s%n", head.getKey(), head.getValue().label());
                head.getValue().scores().stream()
                        .limit(top)
                        .forEach(
                                s ->
                                        System.out.printf(
                                                "  %-16s %6.2f%%%n",
                                                s.label(), 100 * s.probability()));
            }
        }
        return 0;
    }

    private static byte[] read(String option, Path file) throws IOException {
        return Files.readAllBytes(InputFiles.file(option, file));
    }
}
