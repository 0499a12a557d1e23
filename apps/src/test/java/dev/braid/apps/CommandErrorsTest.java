package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.apps.support.TinySupportModel;
import dev.braid.fusion.train.TrainConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each command's common mistakes, made as a user makes them: a missing file, a bad flag value, an
 * unknown configuration field, an image outside a limit. Each must end the command with exit code 2
 * and one line on standard error, {@code braid COMMAND: reason}, and a limit must name the flag or
 * field that changes it.
 */
class CommandErrorsTest {

    @TempDir static Path dir;

    private static Path model;
    private static Path onePixel;

    @BeforeAll
    static void files() throws IOException {
        model = TinySupportModel.model();
        onePixel = dir.resolve("dot.png");
        Files.write(onePixel, png(1, 1));
    }

    /** The exit code and standard error of one command. */
    private record Outcome(int code, String err) {}

    private static Outcome braid(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Braid.commandLine();
        cli.setErr(new PrintWriter(err, true));
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            return new Outcome(cli.execute(args), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    /** Exit code 2 and exactly {@code line} (one line) on standard error. */
    private static void fails(String line, String... args) {
        Outcome outcome = braid(args);
        String command = "braid " + String.join(" ", args);
        assertEquals(line + System.lineSeparator(), outcome.err(), command);
        assertEquals(2, outcome.code(), command);
    }

    @Test
    void predict() throws IOException {
        String m = model.toString();
        Path missing = dir.resolve("missing.png");
        fails(
                "braid predict: --image " + missing + ": no such file",
                "predict",
                "--model",
                m,
                "--image",
                missing.toString());
        fails(
                "braid predict: --image " + dir + ": is a directory, not a file",
                "predict",
                "--model",
                m,
                "--image",
                dir.toString());
        Path noModel = dir.resolve("no-model");
        fails(
                "braid predict: --model " + noModel + ": no such directory",
                "predict",
                "--model",
                noModel.toString(),
                "--text",
                "hello");
        fails(
                "braid predict: Invalid value for option '--top': 'many' is not an int"
                        + " (see braid predict --help)",
                "predict",
                "--model",
                m,
                "--text",
                "hello",
                "--top",
                "many");
        fails(
                "braid predict: Unknown option: '--imgae=x.png' (did you mean --image?)",
                "predict",
                "--model",
                m,
                "--imgae=x.png");
        fails(
                "braid predict: give at least one of --text, --image, --audio",
                "predict",
                "--model",
                m);
        fails(
                "braid predict: --image "
                        + onePixel
                        + ": image is 1x1 pixels, smaller than the"
                        + " minimum side of 8 (lower --image-min-side to accept it)",
                "predict",
                "--model",
                m,
                "--image",
                onePixel.toString());
        fails(
                "braid predict: --image "
                        + onePixel
                        + ": file has "
                        + Files.size(onePixel)
                        + " bytes, above the limit of 10 (raise --image-max-bytes to accept it)",
                "predict",
                "--model",
                m,
                "--image",
                onePixel.toString(),
                "--image-max-bytes",
                "10");
        fails(
                "braid predict: --image-min-side (0) must be positive",
                "predict",
                "--model",
                m,
                "--image",
                onePixel.toString(),
                "--image-min-side",
                "0");
        byte[] full = png(16, 16);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(full, full.length - 12));
        fails(
                "braid predict: --image "
                        + cut
                        + ": PNG data is truncated: the file ends after "
                        + (full.length - 12)
                        + " bytes, before the IEND chunk",
                "predict",
                "--model",
                m,
                "--image",
                cut.toString());
    }

    @Test
    void aLimitRaisedOnTheCommandLineLetsTheImageIn() {
        Outcome outcome =
                braid(
                        "predict",
                        "--model",
                        model.toString(),
                        "--image",
                        onePixel.toString(),
                        "--image-min-side",
                        "1");
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals("", outcome.err());
    }

    @Test
    void eval() throws IOException {
        String m = model.toString();
        String data = ShippedDatasetTest.repoRoot().resolve("data/support").toString();
        Path noModel = dir.resolve("no-model");
        fails(
                "braid eval: --model " + noModel + ": no such directory",
                "eval",
                "--model",
                noModel.toString(),
                "--data",
                data);
        Path noData = dir.resolve("no-data");
        fails(
                "braid eval: --data " + noData + ": no such file or directory",
                "eval",
                "--model",
                m,
                "--data",
                noData.toString());
        fails(
                "braid eval: "
                        + onePixel
                        + " is not a dataset: give a folder with a manifest.jsonl, a .csv or .tsv"
                        + " table, or a folder with a folder per class",
                "eval",
                "--model",
                m,
                "--data",
                onePixel.toString());
        fails(
                "braid eval: Invalid value for option '--split': expected one of [TRAIN, VAL, TEST]"
                        + " (case-insensitive) but was 'holdout' (see braid eval --help)",
                "eval",
                "--model",
                m,
                "--data",
                data,
                "--split",
                "holdout");
    }

    @Test
    void train() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        fails(
                "braid train: no configuration file "
                        + missing
                        + " and no ready-made one named '"
                        + missing
                        + "'; ready-made: "
                        + ReadyConfigs.NAMES,
                "train",
                "--config",
                missing.toString());
        String known =
                Arrays.stream(TrainConfig.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .collect(Collectors.joining(", "));
        fails(
                "braid train: --set training.epoch=3: no field 'epoch'; known: " + known,
                "train",
                "--config",
                "avmnist-gated",
                "--set",
                "training.epoch=3");
        fails(
                "braid train: configs/avmnist-gated.yaml: training.epochs: 'many' is not a valid int",
                "train",
                "--config",
                "avmnist-gated",
                "--set",
                "training.epochs=many");
        fails(
                "braid train: configs/avmnist-gated.yaml: features.imageMinSide (0) must be"
                        + " positive",
                "train",
                "--config",
                "avmnist-gated",
                "--set",
                "features.imageMinSide=0");
        fails(
                "braid train: Missing required argument (specify one of these):"
                        + " (--config=<config> | --data=<data>) (see braid train --help)",
                "train");
    }

    /** A dataset whose fourth row's image is 1 x 1: the run stops at its first batch. */
    @Test
    void trainingOnATooSmallImageNamesTheConfigurationField() throws IOException {
        Path data = dir.resolve("digits");
        Files.createDirectories(data.resolve("images"));
        List<String> rows = new ArrayList<>();
        for (String split : List.of("train", "val", "test")) {
            for (int digit = 0; digit < 10; digit++) {
                String image = "images/" + split + "-" + digit + ".png";
                Files.write(data.resolve(image), png(28, 28));
                rows.add(
                        String.format(
                                "{\"id\": \"%s-%d\", \"image\": \"%s\", \"label\": \"%d\","
                                        + " \"split\": \"%s\"}",
                                split, digit, image, digit, split));
            }
        }
        Path tiny = data.resolve("images/train-3.png");
        Files.write(tiny, png(1, 1));
        Files.write(data.resolve("manifest.jsonl"), rows);
        // found while the features are read into memory, before the first step
        fails(
                "braid train: "
                        + data.resolve("manifest.jsonl")
                        + ":4: IMAGE "
                        + tiny
                        + ": image is 1x1 pixels, smaller than the minimum"
                        + " side of 8 (lower features.imageMinSide to accept it)",
                "train",
                "--config",
                "avmnist-image-only",
                "--set",
                "data=[{path: \"" + data + "\", weight: 1}]",
                "--set",
                "features.cache=false",
                "--set",
                "output=\"" + dir.resolve("run") + "\"");
    }

    @Test
    void serve() {
        Path noModel = dir.resolve("no-model");
        fails(
                "braid serve: --model " + noModel + ": no such directory",
                "serve",
                "--model",
                noModel.toString(),
                "--port",
                "0");
        Path noReplies = dir.resolve("replies.json");
        fails(
                "braid serve: --replies " + noReplies + ": no such file",
                "serve",
                "--model",
                model.toString(),
                "--replies",
                noReplies.toString(),
                "--port",
                "0");
        fails(
                "braid serve: Invalid value for option '--port': 'eighty' is not an int"
                        + " (see braid serve --help)",
                "serve",
                "--port",
                "eighty");
        // refused before the model is loaded or trained
        fails("braid serve: --port 70000: must be in 0..65535", "serve", "--port", "70000");
        fails(
                "braid serve: --max-part-mb 0.0: must be at least 1 KiB (0.001)",
                "serve",
                "--max-part-mb",
                "0");
    }

    @Test
    void compress() throws IOException {
        String m = model.toString();
        String out = dir.resolve("compressed").toString();
        fails(
                "braid compress: --method: unknown compression method 'int4'; known: int8, prune,"
                        + " structured-prune, distill",
                "compress",
                "--model",
                m,
                "--out",
                out,
                "--method",
                "int8,int4");
        fails(
                "braid compress: sparsity (1.0) must be in (0, 1)",
                "compress",
                "--model",
                m,
                "--out",
                out,
                "--method",
                "prune",
                "--sparsity",
                "1");
        fails(
                "braid compress: structured sparsity (0.0) must be in (0, 1)",
                "compress",
                "--model",
                m,
                "--out",
                out,
                "--method",
                "structured-prune",
                "--structured-sparsity",
                "0");
        fails(
                "braid compress: --prune-heads (1.0) must be in [0, 1): the share of heads removed",
                "compress",
                "--model",
                m,
                "--out",
                out,
                "--method",
                "structured-prune",
                "--prune-heads",
                "1");
        fails(
                "braid compress: --student-depth (0.0) must be in (0, 1]",
                "compress",
                "--model",
                m,
                "--out",
                out,
                "--method",
                "distill",
                "--student-depth",
                "0");
        Path notAModel = Files.createDirectories(dir.resolve("not-a-model"));
        fails(
                "braid compress: "
                        + notAModel.resolve("model.json")
                        + " is missing: is "
                        + notAModel
                        + " a Braid model directory (made by braid train)?",
                "compress",
                "--model",
                notAModel.toString(),
                "--out",
                out,
                "--method",
                "int8");
        // a student whose intent head has one class fewer than the teacher's
        Path other = Files.createDirectories(dir.resolve("other-heads"));
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode)
                        json.readTree(model.resolve("model.json").toFile());
        com.fasterxml.jackson.databind.node.ArrayNode classes =
                (com.fasterxml.jackson.databind.node.ArrayNode)
                        root.path("model").path("heads").get(0).path("classes");
        classes.remove(classes.size() - 1);
        json.writeValue(other.resolve("model.json").toFile(), root);
        fails(
                "braid compress: the student's head 'intent' (classification, 7 classes) does not"
                        + " fit the teacher's heads [intent (8), product (6), urgency (3)]",
                "compress",
                "--model",
                m,
                "--out",
                out,
                "--method",
                "distill",
                "--student",
                other.toString());
    }

    @Test
    void theOtherCommands() {
        fails(
                "braid bench: --epochs (0) must be >= 1 and --memory-steps (0) >= 0",
                "bench",
                "--epochs",
                "0");
        fails(
                "braid demo: Invalid value for option '--epochs': 'two' is not an int"
                        + " (see braid demo --help)",
                "demo",
                "--epochs",
                "two");
        fails(
                "braid support-demo: Invalid value for option '--epochs': 'two' is not an int"
                        + " (see braid support-demo --help)",
                "support-demo",
                "--epochs",
                "two");
        fails(
                "braid text-demo: Invalid value for option '--steps': 'ten' is not an int"
                        + " (see braid text-demo --help)",
                "text-demo",
                "--steps",
                "ten");
        fails("braid: Unmatched argument at index 0: 'predct' (did you mean predict?)", "predct");
    }

    @Test
    void helpCommandIsTheCommandsHelp() {
        for (String command : List.of("train", "eval", "predict", "serve", "bench")) {
            StringWriter viaHelp = new StringWriter();
            CommandLine cli = Braid.commandLine();
            cli.setOut(new PrintWriter(viaHelp, true));
            assertEquals(0, cli.execute("help", command));
            StringWriter viaFlag = new StringWriter();
            cli = Braid.commandLine();
            cli.setOut(new PrintWriter(viaFlag, true));
            assertEquals(0, cli.execute(command, "--help"));
            assertEquals(viaFlag.toString(), viaHelp.toString(), command);
        }
    }

    /** The version the Maven build was given, passed to the tests by Surefire. */
    @Test
    void versionIsTheBuildsVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = Braid.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--version"));
        assertEquals(
                "braid " + System.getProperty("braid.buildVersion") + System.lineSeparator(),
                out.toString());
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 37 + y * 101) & 0xffffff);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
