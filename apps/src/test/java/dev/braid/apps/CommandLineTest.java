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

        sparkPredict(output.resolve("model"), data, dir);
    }

    /**
     * {@code braid spark-predict} on local[2]: 24 test rows, one with an image that is no image, to
     * JSONL and to Parquet.
     */
    private static void sparkPredict(Path model, Path shipped, Path dir) throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small.resolve("images"));
        Files.createDirectories(small.resolve("audio"));
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(shipped.resolve("manifest.jsonl"))) {
            JsonNode row = json.readTree(line);
            if (lines.size() == 24 || !row.path("split").asText().equals("test")) {
                continue;
            }
            for (String field : List.of("image", "audio")) {
                Path target = small.resolve(row.path(field).asText());
                if (lines.size() == 3 && field.equals("image")) {
                    Files.writeString(target, "not an image");
                } else if (!Files.exists(target)) { // rows share clips
                    Files.copy(shipped.resolve(row.path(field).asText()), target);
                }
            }
            lines.add(line);
        }
        Files.write(small.resolve("manifest.jsonl"), lines);
        Path jsonl = dir.resolve("scored.jsonl");
        String printed =
                run(
                        "spark-predict",
                        "--master",
                        "local[2]",
                        "--model",
                        model.toString(),
                        "--data",
                        small.toString(),
                        "--partitions",
                        "3",
                        "--out",
                        jsonl.toString());
        assertTrue(printed.contains("partitions done"), printed);
        assertTrue(printed.contains("24 rows (1 with an input that did not decode)"), printed);
        List<String> scored = Files.readAllLines(jsonl);
        assertEquals(24, scored.size());
        int errors = 0;
        for (String line : scored) {
            JsonNode row = json.readTree(line);
            if (row.has("braid_error")) {
                errors++;
                assertTrue(row.path("braid_error").asText().startsWith("image: "), line);
                assertTrue(row.path("label_prediction").isMissingNode(), line);
            } else {
                assertEquals(10, row.path("label_probabilities").size(), line);
            }
        }
        assertEquals(1, errors);
        Path parquet = dir.resolve("scored.parquet");
        run(
                "spark-predict",
                "--master",
                "local[2]",
                "--model",
                model.toString(),
                "--data",
                small.toString(),
                "--out",
                parquet.toString());
        assertTrue(Files.exists(parquet.resolve("_SUCCESS")), "no Parquet written");
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
                        "spark-predict",
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
