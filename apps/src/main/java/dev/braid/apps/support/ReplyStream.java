package dev.braid.apps.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/replies?strategy=…&temperature=…&topK=…&topP=…&maxTokens=…&seed=…}: the same
 * multipart form as {@code /api/tickets}, answered as server-sent events while the reply is
 * written: an {@code event: piece} with {@code {"text": "..."}} for each new piece of the reply,
 * then one {@code event: done} whose data is the whole {@link RoutedTicket} (its {@code reply} the
 * pieces joined) plus {@code "generated"}: true when a generation head wrote it, false when it is
 * the template. Decoding settings are query parameters ({@link DecodingSettings}); a malformed or
 * out-of-range one is refused with 400 whose {@code part} names the field, once the form is read.
 */
final class ReplyStream {

    /** The route. */
    static final String PATH = "/api/replies";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS =
            List.of("strategy", "temperature", "topK", "topP", "maxTokens", "seed");

    private final ReplySuggester suggester;
    private final TicketForm form;
    private final Semaphore predicting;

    ReplyStream(ReplySuggester suggester, TicketForm form, Semaphore predicting) {
        this.suggester = suggester;
        this.form = form;
        this.predicting = predicting;
    }

    /**
     * The settings of a request's query.
     *
     * @throws RejectedRequest 400 naming the field
     */
    static DecodingSettings settings(Map<String, List<String>> query) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (!FIELDS.contains(e.getKey())) {
                throw new RejectedRequest(
                        400, e.getKey(), "unknown decoding setting; known: " + FIELDS);
            }
            if (e.getValue().size() != 1) {
                throw new RejectedRequest(400, e.getKey(), "give it once");
            }
            fields.put(e.getKey(), e.getValue().get(0));
        }
        try {
            return DecodingSettings.parse(fields);
        } catch (IllegalArgumentException e) {
            String field =
                    FIELDS.stream()
                            .filter(f -> e.getMessage().startsWith(f + " "))
                            .findFirst()
                            .orElse(null);
            throw new RejectedRequest(400, field, e.getMessage());
        }
    }

    void handle(Context ctx) throws Exception {
        // the form first: answering a bad setting before the body is read resets the connection
        // of a client still sending it, which then never sees the 400
        Ticket ticket = form.read(ctx.req());
        DecodingSettings settings = settings(ctx.queryParamMap());
        predicting.acquire();
        try {
            ctx.res().setContentType("text/event-stream; charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            OutputStream out = ctx.res().getOutputStream();
            RoutedTicket routed =
                    suggester.suggest(
                            ticket, settings, piece -> send(out, "piece", Map.of("text", piece)));
            Map<String, Object> done = JSON.convertValue(routed, LinkedHashMap.class);
            done.put("generated", suggester.generates());
            send(out, "done", done);
        } finally {
            predicting.release();
        }
    }

    private static void send(OutputStream out, String event, Object data) {
        try {
            out.write(
                    ("event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away", e);
        }
    }
}
