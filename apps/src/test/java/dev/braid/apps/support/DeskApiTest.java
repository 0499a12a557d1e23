package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agents' desk over HTTP: the ticket list, corrections, validation, restarts, a lost database.
 */
class DeskApiTest {

    static ServedModel served;
    static DeskClient desk;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        served = ServedModel.start(ServerSettings.defaults().withPort(0));
        desk = new DeskClient(served.client, served.uri("/"));
        token = desk.token();
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    @Test
    void answeredTicketsAreListedNewestFirstInPagesWithTheirRoutingAndReply() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(desk.ticket("paging ticket " + i).get("ticketId").asText());
            Thread.sleep(5); // distinct times
        }
        JsonNode first =
                SameAnswer.JSON.readTree(desk.get("/api/tickets?page=1&size=2", token).body());
        assertEquals(2, first.get("tickets").size());
        assertTrue(first.get("total").asLong() >= 3);
        assertEquals(ids.get(2), first.get("tickets").get(0).get("id").asText());
        assertEquals(ids.get(1), first.get("tickets").get(1).get("id").asText());
        JsonNode second =
                SameAnswer.JSON.readTree(desk.get("/api/tickets?page=2&size=2", token).body());
        assertEquals(ids.get(0), second.get("tickets").get(0).get("id").asText());
        JsonNode newest = first.get("tickets").get(0);
        assertEquals("paging ticket 2", newest.get("text").asText());
        assertTrue(newest.get("intent").get("probabilities").size() > 1);
        assertFalse(newest.get("reply").asText().isEmpty());
        assertEquals(served.router.model(), newest.get("model").asText());
    }

    @Test
    void aTicketsPhotoAndVoiceNoteAreStoredAsSent() throws Exception {
        ManifestEntry complete = SupportTickets.complete();
        HttpResponse<String> r =
                SupportTickets.form(complete).post(served.client, served.uri("/api/tickets"));
        String id = SameAnswer.JSON.readTree(r.body()).get("ticketId").asText();
        HttpResponse<byte[]> photo = desk.bytes("/api/tickets/" + id + "/photo", token);
        assertEquals(200, photo.statusCode());
        assertEquals("image/png", photo.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(SupportTickets.bytes(complete, Modality.IMAGE), photo.body());
        assertArrayEquals(
                SupportTickets.bytes(complete, Modality.AUDIO),
                desk.bytes("/api/tickets/" + id + "/voice", token).body());
        String textOnly = desk.ticket("no photo here").get("ticketId").asText();
        assertEquals(404, desk.get("/api/tickets/" + textOnly + "/photo", token).statusCode());
    }

    @Test
    void anAgentsCorrectionIsStoredWithWhoAndWhenAndAcceptingKeepsTheReply() throws Exception {
        JsonNode answer = desk.ticket("The lens of my camera is cracked");
        String id = answer.get("ticketId").asText();
        String path = "/api/tickets/" + id + "/corrections";
        Instant before = Instant.now().minusSeconds(1);

        HttpResponse<String> accepted = desk.post(path, token, "{}");
        assertEquals(201, accepted.statusCode(), accepted.body());
        JsonNode a = SameAnswer.JSON.readTree(accepted.body());
        assertEquals(TestDesk.AGENT, a.get("agent").asText());
        assertEquals(answer.get("reply").asText(), a.get("reply").asText());
        assertFalse(a.get("replyEdited").asBoolean());
        assertTrue(Instant.parse(a.get("at").asText()).isAfter(before));

        String product = served.router.classes().get("product").get(0);
        HttpResponse<String> edited =
                desk.post(
                        path,
                        token,
                        "{\"intent\": \"damaged_item\", \"product\": \""
                                + product
                                + "\", \"urgency\": \"high\", \"reply\": \"We are sending a new lens.\"}");
        assertEquals(201, edited.statusCode(), edited.body());

        JsonNode stored = SameAnswer.JSON.readTree(desk.get("/api/tickets/" + id, token).body());
        assertEquals(2, stored.get("corrections").size());
        JsonNode latest = stored.get("ticket").get("correction");
        assertEquals("damaged_item", latest.get("intent").asText());
        assertEquals(product, latest.get("product").asText());
        assertEquals("high", latest.get("urgency").asText());
        assertEquals("We are sending a new lens.", latest.get("reply").asText());
        assertTrue(latest.get("replyEdited").asBoolean());
        assertEquals(
                answer.get("intent").get("label"),
                stored.get("ticket").get("intent").get("label"),
                "the model's routing is kept beside the correction");
    }

    @Test
    void validationErrorsNameTheField() throws Exception {
        String id = desk.ticket("validate me").get("ticketId").asText();
        String path = "/api/tickets/" + id + "/corrections";
        field(desk.post(path, token, "{\"intent\": \"nonsense\"}"), "intent", "must be one of");
        field(desk.post(path, token, "{\"product\": 7}"), "product", "must be a string");
        field(desk.post(path, token, "{\"urgency\": \"whenever\"}"), "urgency", "must be one of");
        field(desk.post(path, token, "{\"reply\": \"   \"}"), "reply", "empty");
        field(desk.post(path, token, "{\"colour\": \"red\"}"), "colour", "unknown field");
        field(desk.post(path, token, "not json"), null, "not JSON");
        field(desk.get("/api/tickets?page=0", token), "page", "1..");
        field(desk.get("/api/tickets?size=1000", token), "size", "1..100");
        field(desk.post("/api/login", null, "{\"name\": \"alice\"}"), "password", "password");
        assertEquals(404, desk.post("/api/tickets/none/corrections", token, "{}").statusCode());
        assertTrue(served.desk.tickets().corrections(id).isEmpty(), "nothing invalid is stored");
    }

    private static void field(HttpResponse<String> r, String field, String reason)
            throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = SameAnswer.JSON.readTree(r.body());
        assertEquals(
                field == null ? null : field,
                body.get("field").isNull() ? null : body.get("field").asText(),
                r.body());
        assertTrue(body.get("error").asText().contains(reason), r.body());
    }

    @Test
    void aRestartLosesNothingAnswered() throws Exception {
        StoreSettings store = TestDesk.newStore();
        String id;
        String reply;
        try (ServedModel first =
                ServedModel.start(
                        ServerSettings.defaults().withPort(0), store, TestDesk.UNLIMITED)) {
            JsonNode answer = new DeskClient(first.client, first.uri("/")).ticket("remember me");
            id = answer.get("ticketId").asText();
            reply = answer.get("reply").asText();
        }
        try (ServedModel second =
                ServedModel.start(
                        ServerSettings.defaults().withPort(0), store, TestDesk.UNLIMITED)) {
            DeskClient c = new DeskClient(second.client, second.uri("/"));
            JsonNode stored =
                    SameAnswer.JSON.readTree(c.get("/api/tickets/" + id, c.token()).body());
            assertEquals("remember me", stored.get("ticket").get("text").asText());
            assertEquals(reply, stored.get("ticket").get("reply").asText());
        }
    }

    @Test
    void aLostDatabaseStillAnswersTicketsAndCountsTheFailures() throws Exception {
        try (ServedModel lost = ServedModel.start(ServerSettings.defaults().withPort(0))) {
            DeskClient c = new DeskClient(lost.client, lost.uri("/"));
            assertTrue(c.ticket("stored fine").get("stored").asBoolean());
            lost.desk.database().close(); // as if the database went away
            JsonNode answer = c.ticket("the database is gone");
            assertFalse(answer.get("stored").asBoolean());
            assertFalse(answer.get("reply").asText().isEmpty(), "the prediction is still served");
            JsonNode health = SameAnswer.JSON.readTree(c.get("/health", null).body());
            assertEquals("ok", health.get("status").asText());
            assertEquals(1, health.get("storageFailures").asLong());
            assertTrue(
                    health.get("lastStorageError").asText().startsWith("could not store ticket"));
        }
    }
}
