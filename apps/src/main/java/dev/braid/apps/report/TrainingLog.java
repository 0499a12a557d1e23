package dev.braid.apps.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step and epoch lines of a trainer's {@code log.jsonl}, as written by {@code
 * dev.braid.fusion.train.JsonlLog}:
 *
 * <pre>
 * {"type":"step","step":12,"epoch":0,"loss":1.23,"lr":0.002,"gradNorm":0.8,"samplesPerSecond":310.5}
 * {"type":"epoch","epoch":0,"step":16,"metrics":{"loss":1.1,"label/accuracy":0.61},"improved":true}
 * </pre>
 *
 * <p>Lines of other types (such as {@code "end"}) and blank lines are skipped. A last line that is
 * not a complete step or epoch line was cut short by a kill and is skipped too; any other bad line
 * is an error naming the file and line. Numbers may be the strings {@code "NaN"} and {@code
 * "Infinity"}; a missing optional number is NaN.
 *
 * @param steps the step lines, in file order
 * @param epochs the epoch lines, in file order
 */
public record TrainingLog(List<Step> steps, List<Epoch> epochs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One optimiser step.
     *
     * @param step the global step
     * @param epoch the epoch it belongs to
     * @param loss the training loss of its batch
     * @param learningRate the learning rate it used
     * @param gradNorm the gradient norm, NaN if not logged
     * @param samplesPerSecond throughput, NaN if not logged
     */
    public record Step(
            long step,
            int epoch,
            double loss,
            double learningRate,
            double gradNorm,
            double samplesPerSecond) {}

    /**
     * One validation at the end of an epoch.
     *
     * @param epoch the epoch
     * @param step the global step at its end
     * @param metrics the validation metrics by name, in logged order
     * @param improved whether the monitored metric improved, so this epoch's model was kept
     */
    public record Epoch(int epoch, long step, Map<String, Double> metrics, boolean improved) {

        public Epoch {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    public TrainingLog {
        steps = List.copyOf(steps);
        epochs = List.copyOf(epochs);
    }

    /**
     * Reads a training log.
     *
     * @param file the {@code log.jsonl} file
     * @throws NoSuchFileException naming the file if it does not exist
     * @throws IOException naming the file and line if a line other than the last is malformed, or
     *     if it cannot be read
     */
    public static TrainingLog read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(
                    file.toString(),
                    null,
                    "training log not found; it is the log.jsonl the trainer writes in the model"
                            + " directory");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<Step> steps = new ArrayList<>();
        List<Epoch> epochs = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                String type = node.path("type").asText("");
                if (type.equals("step")) {
                    steps.add(step(node));
                } else if (type.equals("epoch")) {
                    epochs.add(epoch(node));
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                if (i == last) {
                    break; // cut short by a kill
                }
                throw new IOException(
                        file + ":" + (i + 1) + ": malformed training log line: " + e.getMessage(),
                        e);
            }
        }
        return new TrainingLog(steps, epochs);
    }

    private static Step step(JsonNode node) {
        return new Step(
                integer(node, "step"),
                (int) integer(node, "epoch"),
                number(node, "loss", true),
                number(node, "lr", false),
                number(node, "gradNorm", false),
                number(node, "samplesPerSecond", false));
    }

    private static Epoch epoch(JsonNode node) {
        JsonNode metricsNode = node.get("metrics");
        if (metricsNode == null || !metricsNode.isObject()) {
            throw new IllegalArgumentException("epoch line has no \"metrics\" object");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Iterator<String> names = metricsNode.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            metrics.put(name, number(metricsNode, name, true));
        }
        return new Epoch(
                (int) integer(node, "epoch"),
                integer(node, "step"),
                metrics,
                node.path("improved").asBoolean(false));
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException(
                    "\"" + field + "\" (" + value + ") is not an integer");
        }
        return value.asLong();
    }

    private static double number(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return Double.NaN;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            switch (value.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("\"" + field + "\" (" + value + ") is not a number");
    }
}
