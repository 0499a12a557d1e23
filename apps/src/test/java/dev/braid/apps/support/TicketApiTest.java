package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /api/tickets} and {@code GET /health} over real HTTP on loopback. */
class TicketApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_PART = 256 * 1024;

    static ServedModel served;
    static HttpClient client;
    static URI tickets;

    @BeforeAll
    static void start() throws Exception {
        served =
                ServedModel.start(ServerSettings.defaults().withPort(0).withMaxPartBytes(MAX_PART));
        client = served.client;
        tickets = served.uri("/api/tickets");
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    static Stream<Set<Modality>> combinations() {
        List<Set<Modality>> all = new ArrayList<>();
        for (int mask = 1; mask < 8; mask++) {
            Set<Modality> parts = new TreeSet<>();
            List<Modality> three = List.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO);
            for (int i = 0; i < three.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    parts.add(three.get(i));
                }
            }
            all.add(parts);
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void everyCombinationOfPartsIsRoutedLikeThePredictorRoutesIt(Set<Modality> parts)
            throws Exception {
        ManifestEntry entry = SupportTickets.complete();
        HttpResponse<String> response = SupportTickets.form(entry, parts).post(client, tickets);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        List<String> inputs = new ArrayList<>();
        body.get("inputs").forEach(n -> inputs.add(n.asText()));
        assertEquals(parts.stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList(), inputs);

        try (FusionPredictor predictor = FusionPredictor.load(TinySupportModel.model())) {
            Prediction expected =
                    predictor.predict(
                            parts.contains(Modality.TEXT)
                                    ? entry.inputs().get(Modality.TEXT)
                                    : null,
                            parts.contains(Modality.IMAGE)
                                    ? SupportTickets.bytes(entry, Modality.IMAGE)
                                    : null,
                            parts.contains(Modality.AUDIO)
                                    ? SupportTickets.bytes(entry, Modality.AUDIO)
                                    : null);
            for (String head : FusionTicketRouter.HEADS) {
                JsonNode decision = body.get(head);
                Prediction.HeadPrediction p = expected.heads().get(head);
                assertEquals(p.label(), decision.get("label").asText(), head);
                assertEquals(p.value(), decision.get("probability").asDouble(), 1e-5, head);
                double sum = 0;
                for (JsonNode v : decision.get("probabilities")) {
                    sum += v.asDouble();
                }
                assertEquals(1.0, sum, 1e-4, head + " probabilities sum to one");
                assertEquals(
                        p.scores().size(), decision.get("probabilities").size(), head + " classes");
            }
        }
        String reply = body.get("reply").asText();
        assertFalse(reply.isBlank());
        assertFalse(reply.contains("{"), "placeholders are filled: " + reply);
        assertTrue(body.get("latencyMs").asDouble() > 0);
    }

    @Test
    void aChineseMessageGetsAChineseReplyNamingTheProduct() throws Exception {
        ManifestEntry chinese =
                SupportTickets.test().stream()
                        .filter(e -> e.has(Modality.TEXT))
                        .filter(
                                e ->
                                        ReplyTemplates.languageOf(e.inputs().get(Modality.TEXT))
                                                .equals("zh"))
                        .findFirst()
                        .orElseThrow();
        JsonNode body =
                JSON.readTree(
                        SupportTickets.form(chinese, Set.of(Modality.TEXT))
                                .post(client, tickets)
                                .body());
        assertEquals("zh", body.get("language").asText());
        ReplyTemplates replies =
                ReplyTemplates.read(TinySupportModel.dataDir().resolve("replies.json"));
        assertEquals(
                replies.reply(
                        body.get("intent").get("label").asText(),
                        body.get("product").get("label").asText(),
                        body.get("urgency").get("label").asText(),
                        "zh"),
                body.get("reply").asText());
    }

    @Test
    void manyRequestsAtOnceGetTheSequentialAnswers() throws Exception {
        List<ManifestEntry> sample = SupportTickets.test().subList(0, 24);
        List<JsonNode> sequential = new ArrayList<>();
        for (ManifestEntry e : sample) {
            sequential.add(decisions(SupportTickets.form(e).post(client, tickets)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> concurrent = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (ManifestEntry e : sample) {
                    concurrent.add(
                            pool.submit(
                                    () -> decisions(SupportTickets.form(e).post(client, tickets))));
                }
            }
            for (int i = 0; i < concurrent.size(); i++) {
                JsonNode expected = sequential.get(i % sample.size());
                JsonNode actual = concurrent.get(i).get();
                assertTrue(SameAnswer.same(expected, actual), expected + " vs " + actual);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The three decisions and the reply: everything but the latency. */
    private static JsonNode decisions(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return SameAnswer.of(response.body());
    }

    @Test
    void healthSaysOkAndWhatTheModelReads() throws Exception {
        HttpResponse<String> response =
                client.send(
                        HttpRequest.newBuilder(tickets.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("ok", body.get("status").asText());
        assertEquals("[\"text\",\"image\",\"audio\"]", body.get("reads").toString());
    }

    @Test
    void thePageAndItsScriptsAreServed() throws Exception {
        for (String path : List.of("/", "/app.js", "/wav.js", "/style.css")) {
            HttpResponse<String> response =
                    client.send(
                            HttpRequest.newBuilder(tickets.resolve(path)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path);
        }
        String page =
                client.send(
                                HttpRequest.newBuilder(tickets.resolve("/")).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertTrue(page.contains("<form id=\"ticket\""), page);
    }

    @Test
    void aPhotoIsJudgedByItsBytesNotItsNameOrType() throws Exception {
        ManifestEntry entry = SupportTickets.complete();
        HttpResponse<String> response =
                new MultipartBody()
                        .file(
                                "image",
                                "notes.txt",
                                "text/plain",
                                SupportTickets.bytes(entry, Modality.IMAGE))
                        .post(client, tickets);
        assertEquals(200, response.statusCode(), response.body());
        assertNull(JSON.readTree(response.body()).get("error"));
    }
}
