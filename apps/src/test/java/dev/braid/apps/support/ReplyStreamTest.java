package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.data.ManifestEntry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /api/replies} with a model that has a generation head: the reply arrives as several
 * server-sent pieces whose concatenation is the final answer's reply, and bad decoding settings get
 * 400 naming the field.
 */
class ReplyStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static FusionTicketRouter router;
    private static TicketServer server;
    private static Desk desk;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        router =
                FusionTicketRouter.load(
                        TinyReplyModel.model(),
                        TinyReplyModel.model().resolve(SupportModel.REPLIES));
        desk = TestDesk.open(TestDesk.newStore(), TestDesk.UNLIMITED);
        server = TicketServer.start(router, ServerSettings.defaults().withPort(0), desk);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (router != null) {
            router.close();
        }
        if (desk != null) {
            desk.close();
        }
    }

    /** The events of one streamed answer, in order: [event, data]. */
    private static List<String[]> events(String query, ManifestEntry entry) throws Exception {
        HttpResponse<InputStream> response = post(query, entry);
        assertEquals(200, response.statusCode());
        assertTrue(
                response.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("text/event-stream"));
        List<String[]> out = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    out.add(new String[] {event, line.substring(6)});
                }
            }
        }
        return out;
    }

    private static HttpResponse<InputStream> post(String query, ManifestEntry entry)
            throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(server.uri() + "api/replies" + query))
                        .header("Content-Type", MultipartBody.contentType())
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                        SupportTickets.form(entry).bytes()))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void aGeneratedReplyArrivesInSeveralPiecesThatMakeTheAnswersReply() throws Exception {
        List<String[]> events =
                events("?maxTokens=12&strategy=sample&seed=3", SupportTickets.complete());
        StringBuilder joined = new StringBuilder();
        int pieces = 0;
        for (int i = 0; i < events.size() - 1; i++) {
            assertEquals("piece", events.get(i)[0]);
            joined.append(JSON.readTree(events.get(i)[1]).get("text").asText());
            pieces++;
        }
        assertTrue(pieces >= 2, "pieces: " + pieces);
        String[] last = events.get(events.size() - 1);
        assertEquals("done", last[0]);
        JsonNode done = JSON.readTree(last[1]);
        assertTrue(done.get("generated").asBoolean());
        assertEquals(joined.toString(), done.get("reply").asText());
        for (String head : FusionTicketRouter.HEADS) {
            assertTrue(done.get(head).has("label"), head);
        }
    }

    @Test
    void theSameSeedStreamsTheSameReply() throws Exception {
        String query = "?maxTokens=10&strategy=sample&temperature=1.5&seed=11";
        List<String[]> first = events(query, SupportTickets.complete());
        List<String[]> second = events(query, SupportTickets.complete());
        assertEquals(
                JSON.readTree(first.get(first.size() - 1)[1]).get("reply"),
                JSON.readTree(second.get(second.size() - 1)[1]).get("reply"));
    }

    @ParameterizedTest
    @CsvSource({
        "strategy=nucleus, strategy",
        "temperature=0, temperature",
        "temperature=warm, temperature",
        "topK=-1, topK",
        "topP=1.5, topP",
        "maxTokens=500, maxTokens",
        "seed=x, seed",
        "beams=3, beams"
    })
    void badDecodingSettingsGet400NamingTheField(String query, String field) throws Exception {
        HttpResponse<InputStream> response = post("?" + query, SupportTickets.complete());
        assertEquals(400, response.statusCode(), query);
        JsonNode body = JSON.readTree(response.body());
        assertEquals(field, body.get("part").asText(), query + ": " + body);
    }
}
