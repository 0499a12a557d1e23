package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.Prediction;
import dev.braid.fusion.predict.WeightFormat;
import dev.braid.fusion.testing.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedDirectoryTest {

    @TempDir Path dir;

    @Test
    void anInt8PrunedDirectoryLoadsWithFusionPredictorAndAnswersLikeTheOriginal() throws Exception {
        TinyRun run = TinyRun.create(dir.resolve("data"), 8, 4, 4);
        Path original = dir.resolve("original");
        Path compressed = dir.resolve("compressed");
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel model = TinyRun.model(run.modelConfig(FusionKind.GATED), m, 5);
            JsonNode provenance = JsonNodeFactory.instance.objectNode().put("seed", 5);
            new ModelDirectory(model.config(), run.schema, run.settings, provenance)
                    .save(original, model, run.tokenizer);
            FusionModel small = new StructuredPruning(0.5).apply(model, run.settings, m);
            JsonNode record =
                    CompressionRecord.provenance(
                            original,
                            provenance,
                            List.of("structured-prune", "int8"),
                            JsonNodeFactory.instance.objectNode().put("structuredSparsity", 0.5));
            new ModelDirectory(small.config(), run.schema, run.settings, record)
                    .save(compressed, small, run.tokenizer, WeightFormat.INT8);
        }
        assertFalse(Files.exists(compressed.resolve(ModelDirectory.PARAMETERS)));
        long before = Files.size(original.resolve(ModelDirectory.PARAMETERS));
        long after = Files.size(compressed.resolve(Int8Weights.FILE));
        assertTrue(after * 4 < before, before + " -> " + after + " bytes"); // pruned and int8

        JsonNode saved = ModelDirectory.read(compressed).provenance();
        assertEquals(5, saved.path("seed").asInt());
        assertEquals("int8", saved.path("compression").path("methods").get(1).asText());
        assertEquals(
                CompressionRecord.fingerprint(original),
                saved.path("compression").path("parent").path("sha256").asText());

        ManifestEntry e = run.dataset.entries(Split.TEST).get(0);
        byte[] image = Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE)));
        byte[] audio = Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO)));
        String text = e.inputs().get(Modality.TEXT);
        try (FusionPredictor p = FusionPredictor.load(compressed);
                NDManager m = NDManager.newBaseManager()) {
            Prediction answer = p.predict(text, image, audio);
            assertEquals(4, answer.heads().get("label").scores().size());
            // the same pruned model in float32, to compare the int8 answer with
            FusionModel reference =
                    new StructuredPruning(0.5)
                            .apply(
                                    ModelDirectory.read(original).loadModel(original, m),
                                    run.settings,
                                    m);
            Path floatDir = dir.resolve("float");
            new ModelDirectory(reference.config(), run.schema, run.settings, saved)
                    .save(floatDir, reference, run.tokenizer);
            try (FusionPredictor exact = FusionPredictor.load(floatDir)) {
                double pq = answer.heads().get("label").value();
                double pf = exact.predict(text, image, audio).heads().get("label").value();
                assertEquals(pf, pq, 0.02, "top probability, float32 against int8");
            }
        }
    }
}
