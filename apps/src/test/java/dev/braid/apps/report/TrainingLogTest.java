package dev.braid.apps.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {

    @TempDir Path directory;

    @Test
    void readsStepAndEpochLinesAndSkipsTheRest() throws IOException {
        TrainingLog log = TrainingLog.read(ReportFixtures.writeLog(directory));

        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L, 6L),
                log.steps().stream().map(TrainingLog.Step::step).toList());
        assertEquals(new TrainingLog.Step(2, 0, 1.20, 0.002, 1.5, 310.5), log.steps().get(1));
        TrainingLog.Step noThroughput = log.steps().get(2);
        assertTrue(Double.isNaN(noThroughput.samplesPerSecond()));
        TrainingLog.Step nan = log.steps().get(4);
        assertTrue(Double.isNaN(nan.loss()) && Double.isNaN(nan.gradNorm()));

        assertEquals(2, log.epochs().size());
        TrainingLog.Epoch last = log.epochs().get(1);
        assertEquals(1, last.epoch());
        assertEquals(6, last.step());
        assertTrue(last.improved());
        assertEquals(
                Map.of("loss", 0.8, "label/accuracy", 0.70, "label/macro_f1", 0.68),
                last.metrics());
        assertEquals(
                List.of("loss", "label/accuracy", "label/macro_f1"),
                List.copyOf(last.metrics().keySet()));
    }

    @Test
    void aMalformedLineBeforeTheLastIsAnErrorNamingFileAndLine() throws IOException {
        Path file = directory.resolve("log.jsonl");
        Files.writeString(
                file,
                """
                {"type":"step","step":1,"epoch":0,"loss":1.5,"lr":0.001}
                {"type":"step","step":2,"epoch":0,"loss":"much"}
                {"type":"step","step":3,"epoch":0,"loss":1.2,"lr":0.001}
                """);
        IOException error = assertThrows(IOException.class, () -> TrainingLog.read(file));
        assertTrue(error.getMessage().startsWith(file + ":2: "), error.getMessage());
        assertTrue(error.getMessage().contains("\"loss\" (\"much\")"), error.getMessage());
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = directory.resolve("log.jsonl");
        NoSuchFileException error =
                assertThrows(NoSuchFileException.class, () -> TrainingLog.read(missing));
        assertEquals(missing.toString(), error.getFile());
        assertTrue(error.getMessage().contains("training log not found"), error.getMessage());
    }

    @Test
    void anEmptyFileHasNoLines() throws IOException {
        Path file = Files.writeString(directory.resolve("log.jsonl"), "\n");
        TrainingLog log = TrainingLog.read(file);
        assertTrue(log.steps().isEmpty() && log.epochs().isEmpty());
    }
}
