package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.support.TinySupportModel;
import dev.braid.fusion.predict.FusionPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid predict} in a process of its own, as a user runs it: what reaches the terminal,
 * native libraries' own writes to standard error included.
 */
class PredictOutputTest {

    /** A head's answer, {@code intent: refund}, then its top classes, {@code refund 81.23%}. */
    private static final Pattern HEAD = Pattern.compile("([a-z]+): (\\S+)");

    private static final Pattern SCORE = Pattern.compile("  (\\S+) +\\d{1,3}\\.\\d\\d%");

    @TempDir Path dir;

    /** Standard output and standard error of one run, each a list of lines. */
    private record Run(int code, List<String> out, List<String> err) {}

    private Run braid(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.braid.apps.Braid");
        command.addAll(Arrays.asList(args));
        // Files, not pipes: a pipe read while the process exits can lose its last lines.
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "braid " + String.join(" ", args));
        return new Run(process.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    @Test
    void aPredictionPrintsItsAnswerAndNothingElse() throws Exception {
        Path model = TinySupportModel.model();
        Run run = braid("predict", "--model", model.toString(), "--text", "my parcel is late");
        assertEquals(0, run.code(), String.join("\n", run.err()));
        assertEquals(List.of(), run.err());
        List<String> heads = new ArrayList<>();
        for (String line : run.out()) {
            var head = HEAD.matcher(line);
            if (head.matches()) {
                heads.add(head.group(1));
            } else {
                assertTrue(SCORE.matcher(line).matches(), "not part of an answer: '" + line + "'");
            }
        }
        try (FusionPredictor predictor = FusionPredictor.load(model)) {
            assertEquals(List.copyOf(predictor.schema().heads().keySet()), heads);
        }
        // three classes a head by default
        assertEquals(heads.size() * 4, run.out().size(), String.join("\n", run.out()));
    }

    /** libpng would print "libpng error: ..." and OpenCV "[ERROR:0@...] imdecode_ ..." first. */
    @Test
    void aBrokenImageGivesBraidsOneLineAndNoNativeChatter() throws Exception {
        Path model = TinySupportModel.model();
        byte[] png = CommandErrorsTest.png(16, 16);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        Run run = braid("predict", "--model", model.toString(), "--image", cut.toString());
        assertEquals(2, run.code());
        assertEquals(List.of(), run.out());
        assertEquals(1, run.err().size(), String.join("\n", run.err()));
        assertTrue(
                run.err().get(0).startsWith("braid predict: --image " + cut + ": PNG data is"),
                run.err().get(0));

        // A BMP whose pixel data is cut short: OpenCV's decoder throws and logs it itself.
        byte[] bmp = new byte[64];
        bmp[0] = 'B';
        bmp[1] = 'M';
        putLittleEndian(bmp, 10, 54); // pixel data offset
        putLittleEndian(bmp, 14, 40); // BITMAPINFOHEADER
        putLittleEndian(bmp, 18, 100); // width
        putLittleEndian(bmp, 22, 100); // height
        bmp[26] = 1; // planes
        bmp[28] = 24; // bits per pixel
        Path shortBmp = Files.write(dir.resolve("short.bmp"), bmp);
        run = braid("predict", "--model", model.toString(), "--image", shortBmp.toString());
        assertEquals(
                List.of(
                        "braid predict: --image "
                                + shortBmp
                                + ": BMP data is corrupt or truncated"),
                run.err());
    }

    @Test
    void verboseShowsTheEnginesMessages() throws Exception {
        Run run =
                braid(
                        "predict",
                        "--model",
                        TinySupportModel.model().toString(),
                        "--text",
                        "hello",
                        "--verbose");
        assertEquals(0, run.code());
        assertTrue(
                run.err().stream().anyMatch(l -> l.startsWith("INFO PtEngine: ")),
                String.join("\n", run.err()));
    }

    private static void putLittleEndian(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
