package dev.braid.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Override
    public Integer call() throws Exception {
        if (text == null && image == null && audio == null) {
            System.err.println("give at least one of --text, --image, --audio");
            return 2;
        }
        byte[] imageBytes = image == null ? null : Files.readAllBytes(image);
        byte[] audioBytes = audio == null ? null : Files.readAllBytes(audio);
        try (FusionPredictor predictor = FusionPredictor.load(model)) {
            Prediction prediction = predictor.predict(text, imageBytes, audioBytes);
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
}
