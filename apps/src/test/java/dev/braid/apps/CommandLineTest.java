package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.apps.run.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code braid} commands end to end on the shipped digits, with a tiny training budget. */
class CommandLineTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            int code = Braid.commandLine().execute(args);
            assertEquals(0, code, "braid " + String.join(" ", args) + " failed:\n" + out);
        } finally {
            System.setOut(original);
        }
        return out.toString();
    }

    @Test
    void trainThenEvalThenPredict(@TempDir Path dir) throws Exception {
        Path data = ShippedDatasetTest.repoRoot().resolve("data/avmnist");
        Path output = dir.resolve("run");
        String trained =
                run(
                        "train",
                        "--config",
                        "avmnist-gated",
                        "--set",
                        "data=[{path: \"" + data + "\", weight: 1}]",
                        "--set",
                        "training.maxSteps=8",
                        "--set",
                        "features.cache=false",
                        "--set",
                        "output=\"" + output + "\"");
        assertTrue(trained.contains("label/accuracy"), trained);
        assertTrue(Files.exists(output.resolve("model/model.json")));
        assertTrue(Files.readString(output.resolve("report.html")).contains("id=\"confusion\""));
        assertEquals(
                8,
                Files.readAllLines(output.resolve("log.jsonl")).stream()
                        .filter(l -> l.contains("\"type\":\"step\""))
                        .count());

        String evaluated =
                run(
                        "eval",
                        "--model",
                        output.resolve("model").toString(),
                        "--data",
                        data.toString());
        assertTrue(evaluated.contains("avmnist test metrics (600 samples)"), evaluated);

        String json =
                run(
                        "predict",
                        "--model",
                        output.resolve("model").toString(),
                        "--json",
                        "--image",
                        data.resolve("images")
                                .resolve(firstFile(data.resolve("images")))
                                .toString());
        JsonNode prediction = new ObjectMapper().readTree(json);
        assertEquals(10, prediction.path("heads").path("label").path("scores").size());
    }

    private static String firstFile(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command :
                List.of(
                        "train",
                        "eval",
                        "predict",
                        "demo",
                        "support-demo",
                        "serve",
                        "bench",
                        "text-demo",
                        "pretrain-audio")) {
            assertTrue(run(command, "--help").contains("Usage: braid " + command), command);
        }
    }

    @Test
    void aUsersMistakeIsOneLineWithExitCode2(@TempDir Path dir) {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = Braid.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        Path missing = dir.resolve("no-model");
        assertEquals(2, cli.execute("serve", "--model", missing.toString(), "--port", "0"));
        assertEquals(
                "braid serve: --model " + missing + ": no such directory", err.toString().strip());
    }

    @Test
    void configErrorsNameTheField() throws Exception {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ReadyConfigs.load("avmnist-gated", List.of("training.epoch=3")));
        assertTrue(
                e.getMessage().contains("no field 'epoch'") && e.getMessage().contains("epochs"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RunConfig.parse("model:\n  widht: 3\n", List.of(), "my.yaml"));
        assertTrue(e.getMessage().contains("model.widht"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ReadyConfigs.load("avmnist-gated", List.of("training.epochs=0")));
        assertTrue(e.getMessage().contains("epochs (0) must be positive"), e.getMessage());
        RunConfig ok =
                ReadyConfigs.load(
                        "avmnist-late", List.of("training.epochs=2", "model.fusion.heads=2"));
        assertEquals(2, ok.training().epochs());
        assertEquals(2, ok.model().fusion().heads());
        assertEquals(dev.braid.fusion.model.FusionKind.LATE, ok.model().fusion().kind());
    }
}
