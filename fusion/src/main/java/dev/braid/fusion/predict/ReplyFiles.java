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
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.model.ReplyMemory;
import dev.braid.fusion.train.ModelFiles;
import dev.braid.text.decoder.DecoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model directory's generation head, beside {@code model.json} and {@code model.params}: {@code
 * reply.json} (the decoder's configuration and the modalities its memory reads) and {@code
 * reply.params} (its weights). The decoder shares the model's {@code tokenizer.json}. A directory
 * without them is a model without a generation head.
 */
public final class ReplyFiles {

    public static final String DESCRIPTION = "reply.json";
    public static final String PARAMETERS = "reply.params";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReplyFiles() {}

    /** Whether {@code dir} holds a generation head. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(DESCRIPTION));
    }

    /** Writes {@code head}'s description and weights into {@code dir}. */
    public static void save(Path dir, ReplyHead head) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.set("decoder", JSON.valueToTree(head.config()));
        root.set(
                "memory",
                JSON.valueToTree(head.modalities().stream().map(Modality::name).toList()));
        root.put("memorySource", head.source().name());
        AtomicFile.write(dir.resolve(DESCRIPTION), JSON.writeValueAsBytes(root));
        ModelFiles.saveParameters(head, dir.resolve(PARAMETERS));
    }

    /**
     * Loads the generation head saved in {@code dir} into {@code manager}.
     *
     * @param model the directory's model, loaded, for the shapes of its encoders' tokens
     * @throws IOException naming the file if it is missing or malformed
     */
    public static ReplyHead load(
            Path dir, NDManager manager, FusionModel model, FeatureSettings features)
            throws IOException {
        Path file = dir.resolve(DESCRIPTION);
        JsonNode root;
        DecoderConfig config;
        List<Modality> modalities = new ArrayList<>();
        ReplyMemory source;
        try {
            root = JSON.readTree(file.toFile());
            config = JSON.treeToValue(root.get("decoder"), DecoderConfig.class);
            for (JsonNode m : root.get("memory")) {
                modalities.add(Modality.valueOf(m.asText()));
            }
            source =
                    ReplyMemory.valueOf(
                            root.path("memorySource").asText(ReplyMemory.ENCODER_TOKENS.name()));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a reply head description: " + e.getMessage(), e);
        }
        ReplyHead head = new ReplyHead(config, modalities, source);
        head.initialize(
                manager,
                DataType.FLOAT32,
                shapes(head, model, ModelDirectory.inputShapes(model.config(), features)));
        ModelFiles.loadParameters(head, manager, dir.resolve(PARAMETERS));
        return head;
    }

    /**
     * The shapes {@link ReplyHead#initialize} takes for {@code model} with {@code inputShapes}
     * ({@link ReplyHead#initializationShapes(Map, Shape)}).
     */
    public static Shape[] shapes(ReplyHead head, FusionModel model, Shape[] inputShapes) {
        return head.initializationShapes(
                model.encoderShapes(inputShapes), model.fusionShape(inputShapes));
    }

    /** The shapes {@link ReplyHead#initialize} takes ({@link ReplyHead#initializationShapes}). */
    public static Shape[] shapes(ReplyHead head, Map<Modality, Shape[]> encoded) {
        return head.initializationShapes(encoded);
    }
}
