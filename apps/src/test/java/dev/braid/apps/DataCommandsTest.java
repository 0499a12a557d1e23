package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.run.RunConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.Split;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * {@code braid import}, {@code inspect}, {@code init} and {@code train --data} on a folder per
 * class made in the test: 40 by 40 colour photos with a line of text, no split folders.
 */
class DataCommandsTest {

    @TempDir Path tmp;
    private Path data;

    @BeforeEach
    void classFolders() throws Exception {
        data = tmp.resolve("shapes");
        for (int i = 0; i < 20; i++) {
            sample("red", i, new Scalar(0, 0, 200 + i), "a red one, number " + i);
            sample("blue", i, new Scalar(200 + i, 0, 0), "a blue one, number " + i);
        }
    }

    private void sample(String label, int i, Scalar bgr, String text) throws Exception {
        nu.pattern.OpenCV.loadLocally();
        Path dir = data.resolve(label);
        Files.createDirectories(dir);
        Mat image = new Mat(40, 40, CvType.CV_8UC3, bgr);
        MatOfByte png = new MatOfByte();
        Imgcodecs.imencode(".png", image, png);
        Files.write(dir.resolve(i + ".png"), png.toArray());
        Files.writeString(dir.resolve(i + ".txt"), text, StandardCharsets.UTF_8);
        image.release();
        png.release();
    }

    private record Run(int code, String out) {}

    private static Run braid(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cli = Braid.commandLine();
            cli.setErr(new java.io.PrintWriter(err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void importWritesAStratifiedManifestThatReadsBack() throws Exception {
        Run run = braid("import", data.toString());

        assertEquals(0, run.code(), run.out());
        Dataset manifest = Manifest.read(data);
        assertEquals(40, manifest.entries().size());
        for (String label : List.of("red", "blue")) {
            assertEquals(2, count(manifest, label, Split.TEST), label);
            assertEquals(2, count(manifest, label, Split.VAL), label);
            assertEquals(16, count(manifest, label, Split.TRAIN), label);
        }
        Run again = braid("import", data.toString());
        assertEquals(2, again.code(), "an existing manifest is kept");
        assertTrue(again.out().contains("manifest.jsonl exists; give --force"), again.out());
    }

    @Test
    void inspectPrintsTheSettingsItWouldChooseAndJsonForMachines() throws Exception {
        Run text = braid("inspect", data.toString());
        assertEquals(0, text.code(), text.out());
        assertTrue(text.out().contains("images: 32; PNG 32"), text.out());
        assertTrue(text.out().contains("features.imageChannels   3"), text.out());

        Run json = braid("inspect", "--json", data.toString());
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals(40, report.get("rows").asInt());
        assertEquals(16, report.at("/splits/train/labels/label/red").asInt());
        assertEquals("40", setting(report, "features.imageSize"));
    }

    @Test
    void inspectExitsWithOneWhenItFindsProblems() throws Exception {
        Files.writeString(data.resolve("red/stray.doc"), "x");
        Run run = braid("inspect", data.toString());
        assertEquals(1, run.code());
        assertTrue(run.out().contains("stray.doc"), run.out());
    }

    @Test
    void initWritesTheConfigurationTrainWithDataUses() throws Exception {
        Path file = tmp.resolve("shapes.yaml");
        Run run = braid("init", data.toString(), "--out", file.toString());

        assertEquals(0, run.code(), run.out());
        String yaml = Files.readString(file);
        assertTrue(yaml.contains("#   features.imageSize = 40: the median shorter side"), yaml);
        RunConfig config = RunConfig.load(file, List.of());
        assertEquals(List.of(Modality.TEXT, Modality.IMAGE), config.model().modalities());
        assertEquals(List.of(), config.features().leftOut(), "every setting written out");
        assertEquals(40, config.features().imageSize());
        assertEquals(3, config.features().imageChannels());
    }

    @Test
    void trainWithDataAloneDerivesPrintsAndRecordsTheSettings() throws Exception {
        Path output = tmp.resolve("run");
        Run run =
                braid(
                        "train",
                        "--data",
                        data.toString(),
                        "--set",
                        "training.maxSteps=4",
                        "--set",
                        "output=\"" + output + "\"");

        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("Training 'shapes' (text, image)"), run.out());
        assertTrue(run.out().contains("features.imageChannels   3"), run.out());
        assertTrue(!run.out().contains("features.audioMaxSeconds"), "the model reads no audio");
        JsonNode model = new ObjectMapper().readTree(output.resolve("model/model.json").toFile());
        assertEquals(3, model.at("/features/image/channels").asInt());
        assertEquals(40, model.at("/provenance/run/features/imageSize").asInt());
        assertEquals(
                "features.vocabularySize",
                model.at("/provenance/derivedFeatures/0/field").asText());
    }

    @Test
    void mistakesAreOneLineNamingWhatToChange() {
        Run missing = braid("inspect", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.code());
        assertTrue(
                missing.out()
                        .contains("DATA " + tmp.resolve("nowhere") + ": no such file or directory"),
                missing.out());

        Run both = braid("train", "--config", "avmnist-gated", "--data", data.toString());
        assertEquals(2, both.code());
        assertTrue(both.out().contains("mutually exclusive"), both.out());

        Run modalities = braid("train", "--config", "avmnist-gated", "--modalities", "TEXT");
        assertEquals(2, modalities.code());
        assertTrue(modalities.out().contains("--modalities goes with --data"), modalities.out());

        Run unknown = braid("train", "--data", data.toString(), "--modalities", "smell");
        assertEquals(2, unknown.code());
        assertTrue(unknown.out().contains("smell"), unknown.out());
    }

    private static String setting(JsonNode report, String field) {
        for (JsonNode c : report.get("settings")) {
            if (c.get("field").asText().equals(field)) {
                return c.get("value").asText();
            }
        }
        throw new AssertionError("no setting " + field);
    }

    private static long count(Dataset d, String label, Split split) {
        return d.entries(split).stream().filter(e -> e.id().startsWith(label + "/")).count();
    }
}
