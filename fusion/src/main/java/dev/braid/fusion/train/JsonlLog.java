package dev.braid.fusion.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.files.AtomicFile;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A training log with one JSON object per line, each line flushed as written:
 *
 * <pre>
 * {"type":"step","step":12,"epoch":0,"loss":0.71,"lr":0.001,"gradNorm":1.3,"samplesPerSecond":310.5}
 * {"type":"epoch","epoch":0,"step":40,"improved":true,"metrics":{"accuracy":0.8, ...}}
 * {"type":"end","step":400,"epoch":9,"outcome":"COMPLETED"}
 * </pre>
 *
 * <p>Opening an existing log appends to it. A resumed run first calls {@link #truncateAfterStep}
 * with its checkpoint's step, so lines the interrupted run wrote after that checkpoint are not
 * duplicated. Non-finite numbers are written as the strings {@code "NaN"}, {@code "Infinity"}.
 */
public final class JsonlLog implements TrainingListener, Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private BufferedWriter writer;

    private JsonlLog(Path file) throws IOException {
        this.file = file;
        this.writer = openForAppend(file);
    }

    /**
     * Opens {@code file} for appending, creating it and its parent directories if needed.
     *
     * @throws IOException if it cannot be opened
     */
    public static JsonlLog open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new JsonlLog(file);
    }

    private static BufferedWriter openForAppend(Path file) throws IOException {
        return Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /**
     * Drops every line whose {@code step} is greater than {@code step}, and a last line cut short
     * by a crash; lines without a step are kept. The file is rewritten atomically.
     *
     * @param step the step of the checkpoint the run resumes from
     * @throws IOException if the log cannot be rewritten
     */
    public void truncateAfterStep(int step) throws IOException {
        writer.close();
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                continue; // a line cut short by a kill
            }
            if (node == null || (node.has("step") && node.get("step").asLong() > step)) {
                continue;
            }
            kept.append(line).append(System.lineSeparator());
        }
        AtomicFile.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        writer = openForAppend(file);
    }

    /** Logs a step line. */
    @Override
    public void onStep(StepEvent event) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "step");
        line.put("step", event.step());
        line.put("epoch", event.epoch());
        line.put("loss", event.loss());
        line.put("lr", event.learningRate());
        line.put("gradNorm", event.gradNorm());
        line.put("samplesPerSecond", event.samplesPerSecond());
        write(line);
    }

    /** Logs an epoch line with its metrics. */
    @Override
    public void onEpoch(EpochEvent event) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "epoch");
        line.put("epoch", event.epoch());
        line.put("step", event.step());
        line.put("improved", event.improved());
        ObjectNode metrics = line.putObject("metrics");
        for (Map.Entry<String, Double> metric : event.metrics().entrySet()) {
            metrics.put(metric.getKey(), metric.getValue());
        }
        write(line);
    }

    /** Logs an end line. */
    @Override
    public void onTrainingEnd(EndEvent event) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "end");
        line.put("step", event.step());
        line.put("epoch", event.epoch());
        line.put("outcome", event.outcome().name());
        write(line);
    }

    /**
     * Appends one object as a line and flushes.
     *
     * @throws UncheckedIOException if writing fails
     */
    public void write(ObjectNode line) {
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the training log " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
