package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.apps.support.TinySupportModel;
import dev.braid.fusion.compress.CompressionRecord;
import dev.braid.fusion.compress.Int8Weights;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code braid compress} end to end on the briefly trained customer-service model: the compressed
 * directories load with {@link FusionPredictor#load} and answer, and say how they were made. The
 * teacher's run stops after 12 steps, and so do the fine-tuning and distillation runs it
 * configures.
 */
class CompressCommandTest {

    @TempDir Path dir;

    private static int braid(String... args) {
        CommandLine cli = Braid.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
        try {
            int code = cli.execute(args);
            assertEquals("", err.toString());
            return code;
        } finally {
            System.setOut(original);
        }
    }

    private static void answers(Path model) throws Exception {
        try (FusionPredictor p = FusionPredictor.load(model)) {
            Prediction answer = p.predict("my headphones arrived broken", null, null);
            assertEquals(3, answer.heads().size());
            assertTrue(answer.heads().get("intent").value() > 0);
        }
    }

    @Test
    void structuredPruningFineTunedThenPrunedAndStoredAsInt8() throws Exception {
        Path teacher = TinySupportModel.model();
        Path out = dir.resolve("pruned");
        assertEquals(
                0,
                braid(
                        "compress",
                        "--model",
                        teacher.toString(),
                        "--out",
                        out.toString(),
                        "--method",
                        "structured-prune,prune,int8",
                        "--fine-tune-epochs",
                        "1"));
        assertTrue(Files.exists(out.resolve(Int8Weights.FILE)));
        assertTrue(!Files.exists(out.resolve(ModelDirectory.PARAMETERS)));
        ModelDirectory saved = ModelDirectory.read(out);
        assertEquals(
                ModelDirectory.read(teacher).config().image().stemChannels() / 2,
                saved.config().image().stemChannels());
        ModelConfig before = ModelDirectory.read(teacher).config();
        assertEquals(before.fusion().heads() / 2, saved.config().fusion().heads()); // --prune-heads
        assertEquals(
                before.fusion().headWidth() * before.fusion().heads() / 2,
                saved.config().fusion().attentionWidth());
        JsonNode record = saved.provenance().path(CompressionRecord.FIELD);
        assertEquals(
                "[\"structured-prune\",\"fine-tune\",\"prune\",\"int8\"]",
                record.path("methods").toString());
        assertEquals(0.5, record.path("settings").path("sparsity").asDouble());
        assertEquals(
                CompressionRecord.fingerprint(teacher),
                record.path("parent").path("sha256").asText());
        answers(out);
    }

    @Test
    void aHalfWidthStudentIsDistilledFromTheModel() throws Exception {
        Path teacher = TinySupportModel.model();
        Path out = dir.resolve("student");
        assertEquals(
                0,
                braid(
                        "compress",
                        "--model",
                        teacher.toString(),
                        "--out",
                        out.toString(),
                        "--method",
                        "distill",
                        "--temperature",
                        "2"));
        ModelDirectory saved = ModelDirectory.read(out);
        assertEquals(
                ModelDirectory.read(teacher).config().fusion().width() / 2,
                saved.config().fusion().width());
        JsonNode settings = saved.provenance().path(CompressionRecord.FIELD).path("settings");
        assertEquals(2.0, settings.path("temperature").asDouble());
        assertEquals(0.5, settings.path("studentWidth").asDouble());
        answers(out);
    }

    @Test
    void aShallowerStudentStartsFromTheTeachersLayers() throws Exception {
        Path teacher = TinySupportModel.model();
        Path out = dir.resolve("shallow");
        assertEquals(
                0,
                braid(
                        "compress",
                        "--model",
                        teacher.toString(),
                        "--out",
                        out.toString(),
                        "--method",
                        "distill",
                        "--student-depth",
                        "0.5",
                        "--student-init",
                        "teacher",
                        "--student-fusion",
                        "latent"));
        ModelConfig parent = ModelDirectory.read(teacher).config();
        ModelDirectory saved = ModelDirectory.read(out);
        assertEquals(Math.max(1, parent.text().layers() / 2), saved.config().text().layers());
        assertEquals(parent.fusion().layers() / 2, saved.config().fusion().layers());
        assertEquals(FusionKind.LATENT, saved.config().fusion().kind());
        JsonNode settings = saved.provenance().path(CompressionRecord.FIELD).path("settings");
        assertEquals(0.5, settings.path("studentDepth").asDouble());
        assertEquals("teacher", settings.path("studentInit").asText());
        assertEquals("LATENT", settings.path("studentFusion").asText());
        answers(out);
    }
}
