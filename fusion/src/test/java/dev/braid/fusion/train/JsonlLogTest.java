package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path directory;

    @Test
    void stepAndEpochLinesReadBack() throws IOException {
        Path file = directory.resolve("logs/train.jsonl");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.75);
        metrics.put("macro_f1", 0.5);
        try (JsonlLog log = JsonlLog.open(file)) {
            log.onStep(new StepEvent(1, 0, 10, 0.5, 1e-3, 2.5, 100));
            log.onEpoch(new EpochEvent(0, 1, metrics, true));
            // flushed per line: readable while the log is still open
            assertEquals(2, Files.readAllLines(file).size());
        }
        List<JsonNode> lines = read(file);
        JsonNode step = lines.get(0);
        assertEquals("step", step.get("type").asText());
        assertEquals(1, step.get("step").asInt());
        assertEquals(0, step.get("epoch").asInt());
        assertEquals(0.5, step.get("loss").asDouble(), 0);
        assertEquals(1e-3, step.get("lr").asDouble(), 0);
        assertEquals(2.5, step.get("gradNorm").asDouble(), 0);
        JsonNode epoch = lines.get(1);
        assertEquals("epoch", epoch.get("type").asText());
        assertEquals(0.75, epoch.get("metrics").get("accuracy").asDouble(), 0);
        assertEquals(0.5, epoch.get("metrics").get("macro_f1").asDouble(), 0);
        assertTrue(epoch.get("improved").asBoolean());
    }

    @Test
    void reopeningAppends() throws IOException {
        Path file = directory.resolve("train.jsonl");
        try (JsonlLog log = JsonlLog.open(file)) {
            log.onStep(new StepEvent(1, 0, 10, 0.5, 1e-3, 1, 1));
        }
        try (JsonlLog log = JsonlLog.open(file)) {
            log.onStep(new StepEvent(2, 0, 10, 0.4, 1e-3, 1, 1));
        }
        assertEquals(List.of(1, 2), steps(read(file)));
    }

    @Test
    void truncateAfterStepDropsLinesPastTheCheckpointAndACutLine() throws IOException {
        Path file = directory.resolve("train.jsonl");
        try (JsonlLog log = JsonlLog.open(file)) {
            for (int step = 1; step <= 5; step++) {
                log.onStep(new StepEvent(step, 0, 10, 1.0 / step, 1e-3, 1, 1));
            }
            log.onEpoch(new EpochEvent(0, 5, Map.of("accuracy", 0.5), false));
        }
        // the kill came in the middle of writing a line
        Files.writeString(file, "{\"type\":\"step\",\"st", StandardOpenOption.APPEND);

        try (JsonlLog log = JsonlLog.open(file)) {
            log.truncateAfterStep(3); // the checkpoint was taken after step 3
            log.onStep(new StepEvent(4, 0, 10, 0.2, 1e-3, 1, 1));
        }
        assertEquals(List.of(1, 2, 3, 4), steps(read(file)));
    }

    @Test
    void nonFiniteLossIsWrittenAsAString() throws IOException {
        Path file = directory.resolve("train.jsonl");
        try (JsonlLog log = JsonlLog.open(file)) {
            log.onStep(new StepEvent(1, 0, 10, Double.NaN, 1e-3, Double.POSITIVE_INFINITY, 1));
        }
        JsonNode line = read(file).get(0);
        assertTrue(Double.isNaN(line.get("loss").asDouble()));
        assertEquals(Double.POSITIVE_INFINITY, line.get("gradNorm").asDouble());
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static List<Integer> steps(List<JsonNode> lines) {
        List<Integer> steps = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.get("type").asText().equals("step")) {
                steps.add(line.get("step").asInt());
            }
        }
        return steps;
    }
}
