package dev.braid.fusion.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.predict.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * How a model was compressed, for its provenance: the methods in the order applied, their settings,
 * and the parent model's directory and fingerprint (the SHA-256 of its {@code model.json} and
 * weight file), so a compressed model names exactly what it was made from. The parent's own
 * provenance is kept beside it, a parent's compression included.
 */
public final class CompressionRecord {

    /** The field of the provenance that holds it. */
    public static final String FIELD = "compression";

    private CompressionRecord() {}

    /**
     * The compressed model's provenance: the parent's, with {@code compression} set.
     *
     * @param parentDir the model directory compressed
     * @param parentProvenance its provenance
     * @param methods the methods applied, in order
     * @param settings their settings
     */
    public static ObjectNode provenance(
            Path parentDir, JsonNode parentProvenance, List<String> methods, JsonNode settings)
            throws IOException {
        ObjectNode out =
                parentProvenance != null && parentProvenance.isObject()
                        ? ((ObjectNode) parentProvenance).deepCopy()
                        : JsonNodeFactory.instance.objectNode();
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("braidVersion", ModelDirectory.BRAID_VERSION);
        record.put("at", Instant.now().toString());
        methods.forEach(record.putArray("methods")::add);
        record.set("settings", settings);
        ObjectNode parent = record.putObject("parent");
        parent.put("directory", parentDir.toString());
        parent.put("sha256", fingerprint(parentDir));
        JsonNode earlier = out.get(FIELD);
        if (earlier != null) {
            parent.set(FIELD, earlier); // the parent was compressed itself
        }
        out.set(FIELD, record);
        return out;
    }

    /** The SHA-256 of a model directory's {@code model.json} and weight file, hex. */
    public static String fingerprint(Path dir) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name :
                    List.of(ModelDirectory.MANIFEST, ModelDirectory.PARAMETERS, Int8Weights.FILE)) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(file));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
