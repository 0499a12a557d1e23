package dev.braid.fusion.predict;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.files.AtomicFile;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugins;
import dev.braid.fusion.compress.Int8Weights;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.HeadKindPlugins;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.train.ModelFiles;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import dev.braid.text.tokenize.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * A trained model on disk: {@code model.json} (model configuration, task schema, the class of each
 * plug-in head kind's plug-in, preprocessing settings and provenance: how the model was made),
 * {@code model.params} (the weights, a generation head's decoder among them; or {@code
 * model.int8.params}, see {@link WeightFormat}) and {@code tokenizer.json} (when the model reads or
 * writes text). Every file is written to a temporary name and renamed.
 *
 * @param config the model's shape
 * @param schema the heads and their class names
 * @param features how raw inputs become model inputs
 * @param provenance free-form facts: Braid version, seed, training configuration, datasets
 */
public record ModelDirectory(
        ModelConfig config, TaskSchema schema, FeatureSettings features, JsonNode provenance) {

    public static final String MANIFEST = "model.json";
    public static final String PARAMETERS = "model.params";
    public static final String TOKENIZER = "tokenizer.json";

    /** The field of {@code model.json} naming each plug-in head kind's plug-in class. */
    private static final String HEAD_PLUGINS = "headPlugins";

    /** The version written into every model: the build's, from {@code version.properties}. */
    public static final String BRAID_VERSION = buildVersion();

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static String buildVersion() {
        try (InputStream in =
                ModelDirectory.class.getResourceAsStream("/dev/braid/fusion/version.properties")) {
            Properties properties = new Properties();
            properties.load(
                    Objects.requireNonNull(in, "version.properties is not on the class path"));
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the description, {@code model}'s weights and the tokenizer into {@code dir}. */
    public void save(Path dir, FusionModel model, Tokenizer tokenizer) throws IOException {
        save(dir, model, tokenizer, WeightFormat.FLOAT32);
    }

    /**
     * Writes the description, {@code model}'s weights in {@code format} and the tokenizer into
     * {@code dir}; a weight file of the other format left there from before is removed.
     */
    public void save(Path dir, FusionModel model, Tokenizer tokenizer, WeightFormat format)
            throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("braidVersion", BRAID_VERSION);
        root.set("model", JSON.valueToTree(config));
        root.set("schema", JSON.readTree(schema.toJson()));
        ObjectNode headPlugins = JSON.createObjectNode();
        for (HeadSpec head : schema.heads().values()) {
            if (!head.kind().builtIn()) {
                headPlugins.put(
                        head.kind().name(), HeadKindPlugins.of(head.kind()).getClass().getName());
            }
        }
        if (!headPlugins.isEmpty()) {
            root.set(HEAD_PLUGINS, headPlugins);
        }
        root.set("features", JSON.valueToTree(features));
        root.set("provenance", provenance);
        AtomicFile.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(root));
        if (format == WeightFormat.INT8) {
            Int8Weights.save(model, dir.resolve(Int8Weights.FILE));
            Files.deleteIfExists(dir.resolve(PARAMETERS));
        } else {
            ModelFiles.saveParameters(model, dir.resolve(PARAMETERS));
            Files.deleteIfExists(dir.resolve(Int8Weights.FILE));
        }
        if (keepsTokenizer()) {
            tokenizer.save(dir.resolve(TOKENIZER));
        }
    }

    /**
     * Reads {@code model.json}.
     *
     * @throws IOException naming the file and the field if it is missing or malformed
     */
    public static ModelDirectory read(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    file
                            + " is missing: is "
                            + dir
                            + " a Braid model directory (made by braid train)?");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            // before the kinds are read: a missing head plug-in is named by its class
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path(HEAD_PLUGINS).fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                HeadKindPlugins.of(e.getKey(), e.getValue().asText());
            }
            ModelConfig config = JSON.treeToValue(require(root, "model", file), ModelConfig.class);
            TaskSchema schema = TaskSchema.fromJson(require(root, "schema", file).toString());
            FeatureSettings features =
                    JSON.treeToValue(require(root, "features", file), FeatureSettings.class);
            return new ModelDirectory(config, schema, features, root.path("provenance"));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode require(JsonNode root, String field, Path file) throws IOException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IOException("field '" + field + "' is missing");
        }
        return node;
    }

    /**
     * The tokenizer saved with the model, or a bytes-only one (never used) when the model reads no
     * text: the feature extractor needs one either way.
     */
    public Tokenizer tokenizer(Path dir) throws IOException {
        return keepsTokenizer()
                ? Tokenizer.load(dir.resolve(TOKENIZER))
                : ByteLevelBpeTokenizer.bytesOnly();
    }

    /** Whether the model reads text token ids or writes text: then its tokenizer is saved. */
    private boolean keepsTokenizer() {
        return config.readsTokens() || !config.replyHeads().isEmpty();
    }

    /** Builds the model this directory describes, with its saved weights, in {@code manager}. */
    public FusionModel loadModel(Path dir, NDManager manager) throws IOException {
        for (ModelConfig.PluginInput input : config.plugins()) {
            try {
                ModalityPlugins.of(input.modality(), input.plugin());
            } catch (IllegalArgumentException e) {
                throw new IOException(dir.resolve(MANIFEST) + ": " + e.getMessage(), e);
            }
        }
        FusionModel model;
        try {
            model = new FusionModel(config);
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(dir.resolve(MANIFEST) + ": " + e.getMessage(), e.getCause());
        }
        model.initialize(manager, DataType.FLOAT32, inputShapes(config, features));
        Path int8 = dir.resolve(Int8Weights.FILE);
        if (Files.isRegularFile(int8)) {
            Int8Weights.load(model, int8); // dequantised: float32 arithmetic, a smaller file
        } else {
            ModelFiles.loadParameters(model, manager, dir.resolve(PARAMETERS));
        }
        return model;
    }

    /** Example input shapes (batch 1) of a model reading {@code features}. */
    public static Shape[] inputShapes(ModelConfig config, FeatureSettings features) {
        List<Shape> shapes = new ArrayList<>();
        for (Modality m : config.modalities()) {
            if (m.equals(Modality.TEXT) && config.pretrainedText() != null) {
                int h = config.pretrainedText().featureWidth();
                shapes.add(new Shape(1, features.textMaxLength(), h)); // vectors (B, T, H)
                shapes.add(new Shape(1, features.textMaxLength()));
            } else if (m.equals(Modality.TEXT)) {
                shapes.add(new Shape(1, features.textMaxLength()));
                shapes.add(new Shape(1, features.textMaxLength()));
            } else if (m.equals(Modality.IMAGE)) {
                shapes.add(
                        new Shape(
                                1,
                                features.image().channels(),
                                features.image().height(),
                                features.image().width()));
                shapes.add(new Shape(1));
            } else if (m.equals(Modality.AUDIO)) {
                shapes.add(new Shape(1, features.logMel().nMels(), features.audioMaxFrames()));
                shapes.add(new Shape(1));
            } else {
                shapes.addAll(List.of(ModalityPlugins.of(m).inputShapes()));
            }
        }
        return shapes.toArray(new Shape[0]);
    }
}
