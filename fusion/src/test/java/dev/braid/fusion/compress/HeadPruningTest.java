package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.testing.TinyRun;
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.LayerConfig;
import dev.braid.text.transformer.MultiHeadAttention;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadPruningTest {

    @TempDir Path dir;

    private static LayerConfig layer(int heads, int attentionWidth) {
        return new LayerConfig(
                16,
                heads,
                32,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN,
                FeedForwardKind.GELU,
                0f,
                dev.braid.text.transformer.DeepNorm.NONE,
                attentionWidth);
    }

    private static NDArray parameter(MultiHeadAttention a, String suffix) {
        for (Pair<String, Parameter> p : a.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    @Test
    void removingHeadsWhoseOutputColumnsAreZeroLeavesTheOutputAsItWas() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            Shape x = new Shape(2, 5, 16);
            Shape source = new Shape(2, 7, 16);
            MultiHeadAttention big = new MultiHeadAttention(layer(4, 0), null);
            big.initialize(m, DataType.FLOAT32, x, source);
            // heads 1 and 3 (columns 4..7 and 12..15 of W_O, 16 x 16) reach nothing
            NDArray w = parameter(big, "output_weight");
            float[] v = w.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                int head = (i % 16) / 4;
                if (head == 1 || head == 3) {
                    v[i] = 0;
                }
            }
            w.set(FloatBuffer.wrap(v));
            NDArray query = m.randomNormal(x);
            NDArray keys = m.randomNormal(source);
            ParameterStore store = new ParameterStore(m, false);
            float[] before =
                    big.forward(store, new NDList(query, keys), false).head().toFloatArray();

            MultiHeadAttention small = new MultiHeadAttention(layer(2, 8), null);
            small.initialize(m, DataType.FLOAT32, x, source);
            SliceCopy.copy(big, small);
            assertEquals(new Shape(8, 16), parameter(small, "query_weight").getShape());
            assertEquals(new Shape(16, 16), parameter(small, "keyValue_weight").getShape());
            assertEquals(new Shape(16), parameter(small, "keyValue_bias").getShape());
            assertEquals(new Shape(16, 8), parameter(small, "output_weight").getShape());
            assertEquals(new Shape(16), parameter(small, "output_bias").getShape());
            // the kept heads are 0 and 2: query row 4 of the small one is row 8 of the big one,
            // value row 4 (row 12 of keyValue) is row 16 + 8 = 24 of the big one
            assertArrayEquals(
                    parameter(big, "query_weight").get(8).toFloatArray(),
                    parameter(small, "query_weight").get(4).toFloatArray());
            assertArrayEquals(
                    parameter(big, "keyValue_weight").get(24).toFloatArray(),
                    parameter(small, "keyValue_weight").get(12).toFloatArray());
            NDArray after = small.forward(store, new NDList(query, keys), false).head();
            assertEquals(small.getOutputShapes(new Shape[] {x, source})[0], after.getShape());
            assertArrayEquals(before, after.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void theHeadsOfLargestOutputProjectionAreKept() {
        assertArrayEquals(new int[] {1, 3}, HeadPruning.top(new double[] {0.1, 5, 0.2, 3}, 2));
    }

    @Test
    void anAttentionWidthNotDividedByTheHeadsIsRefusedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> layer(3, 8));
        assertEquals("attentionWidth (8) must be divisible by heads (3)", e.getMessage());
        assertEquals(12, layer(3, 12).attentionWidth()); // 16 wide, 3 heads of 4
        assertEquals(16, layer(4, 0).attentionWidth()); // 0: heads x (width / heads)
        assertThrows(IllegalArgumentException.class, () -> new StructuredPruning(0.5, 1));
    }

    @Test
    void aHeadPrunedModelRoundTripsThroughFusionPredictorAndOldConfigsStillLoad() throws Exception {
        TinyRun run = TinyRun.create(dir.resolve("data"), 8, 4, 4);
        Path original = dir.resolve("original");
        Path pruned = dir.resolve("pruned");
        ManifestEntry e = run.dataset.entries(Split.TEST).get(0);
        byte[] image = Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE)));
        byte[] audio = Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO)));
        String text = e.inputs().get(Modality.TEXT);
        double inMemory;
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig base = run.modelConfig(FusionKind.GATED);
            // 4 text heads and 4 fusion heads of 8, so that half of them can go
            ModelConfig config =
                    new ModelConfig(
                            base.text().toBuilder().heads(4).build(),
                            base.image(),
                            base.audio(),
                            base.fusion().withHeads(4, 0),
                            base.heads());
            FusionModel model = TinyRun.model(config, m, 5);
            JsonNode provenance = JsonNodeFactory.instance.objectNode().put("seed", 5);
            new ModelDirectory(model.config(), run.schema, run.settings, provenance)
                    .save(original, model, run.tokenizer);
            FusionModel small = new StructuredPruning(0.5, 0.5).apply(model, run.settings, m);
            assertEquals(2, small.config().text().heads());
            assertEquals(16, small.config().text().attentionWidth()); // 2 heads of 32 / 4
            assertEquals(32, small.config().text().width());
            assertEquals(2, small.config().fusion().heads());
            assertEquals(16, small.config().fusion().attentionWidth());
            Shape textQuery = null;
            Shape fusionOutput = null;
            for (Pair<String, Parameter> p : small.getParameters()) {
                if (p.getKey().contains("textEncoder") && p.getKey().endsWith("query_weight")) {
                    textQuery = p.getValue().getArray().getShape();
                }
                if (p.getKey().contains("selfTEXT0")
                        && p.getKey().endsWith("attention_04output_weight")) {
                    fusionOutput = p.getValue().getArray().getShape();
                }
            }
            assertEquals(new Shape(16, 32), textQuery);
            assertEquals(new Shape(32, 16), fusionOutput);
            new ModelDirectory(small.config(), run.schema, run.settings, provenance)
                    .save(pruned, small, run.tokenizer);
            try (FusionPredictor p = FusionPredictor.load(pruned)) {
                inMemory = p.predict(text, image, audio).heads().get("label").value();
            }
        }
        try (FusionPredictor p = FusionPredictor.load(pruned)) {
            assertEquals(inMemory, p.predict(text, image, audio).heads().get("label").value());
        }
        assertEquals(
                16, ModelDirectory.read(pruned).config().text().attentionWidth(), "saved, read");

        // a model.json written before attentionWidth existed: 0, heads x (width / heads)
        Path manifest = original.resolve(ModelDirectory.MANIFEST);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(manifest.toFile());
        ((ObjectNode) root.path("model").path("text")).remove("attentionWidth");
        ((ObjectNode) root.path("model").path("fusion")).remove("attentionWidth");
        json.writeValue(manifest.toFile(), root);
        assertEquals(0, ModelDirectory.read(original).config().text().attentionWidth());
        try (FusionPredictor p = FusionPredictor.load(original)) {
            assertEquals(4, p.predict(text, image, audio).heads().get("label").scores().size());
        }
    }
}
