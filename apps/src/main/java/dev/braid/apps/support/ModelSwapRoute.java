package dev.braid.apps.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code POST /api/model {"dir": "runs/support-2/model"}}, agents only: loads a customer-service
 * model from a directory on the server and puts it in service through {@link SwappableRouter}.
 * Answers {@code {"model": FINGERPRINT, "dir": ...}}; a directory that is not such a model gets 400
 * naming {@code dir}, and the model in service stays.
 */
public final class ModelSwapRoute {

    /**
     * Loads a model directory as a router (with the server's reply, decoding and batch settings).
     */
    @FunctionalInterface
    public interface Loader {
        FusionTicketRouter load(Path dir) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SwappableRouter router;
    private final Loader loader;
    private final DeskApi desk;

    ModelSwapRoute(SwappableRouter router, Loader loader, DeskApi desk) {
        this.router = router;
        this.loader = loader;
        this.desk = desk;
    }

    /** One swap at a time: two agents swapping at once get them in order. */
    synchronized void swap(Context ctx) {
        desk.agent(ctx);
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            throw new InvalidField(null, "the body is not JSON");
        }
        JsonNode dir = body == null ? null : body.get("dir");
        if (dir == null || !dir.isTextual() || dir.asText().isBlank()) {
            throw new InvalidField("dir", "give dir, the model directory to serve");
        }
        Path path = Path.of(dir.asText());
        if (!Files.isDirectory(path)) {
            throw new InvalidField("dir", "dir (" + path + ") is not a directory on the server");
        }
        FusionTicketRouter next;
        try {
            next = loader.load(path);
        } catch (IOException | RuntimeException e) {
            throw new InvalidField(
                    "dir", "dir (" + path + ") is not a customer-service model: " + e.getMessage());
        }
        router.swap(next, path);
        ctx.json(Map.of("model", next.model(), "dir", path.toString()));
    }
}
