package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.support.access.AccessSettings;
import dev.braid.apps.support.access.Passwords;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may see and change what: submitting a ticket is open (rate-limited), everything else of the
 * desk needs a signed-in agent, and nothing of a ticket reaches a request that is not.
 */
class DeskAccessTest {

    /** Words only the stored ticket has, looked for in every refused response. */
    static final String SECRET = "Zebra-7431 my card number is in the photo";

    static final String LOCKED_AGENT = "mallory-target";

    static ServedModel served;
    static DeskClient desk;
    static String ticketId;

    @BeforeAll
    static void start() throws Exception {
        served =
                ServedModel.start(
                        ServerSettings.defaults().withPort(0),
                        TestDesk.newStore(),
                        TestDesk.UNLIMITED.withLockout(3, Duration.ofHours(1)));
        served.desk
                .agents()
                .add(
                        LOCKED_AGENT,
                        new Passwords(4).hash("the right password".toCharArray()),
                        Instant.now());
        desk = new DeskClient(served.client, served.uri("/"));
        ticketId = desk.ticket(SECRET).get("ticketId").asText();
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    /** Every route of the desk but sign-in, with the method it takes. */
    static List<String[]> protectedRoutes() {
        return List.of(
                new String[] {"GET", "/api/tickets"},
                new String[] {"GET", "/api/tickets?page=1&size=5"},
                new String[] {"GET", "/api/tickets/" + ticketId},
                new String[] {"GET", "/api/tickets/" + ticketId + "/photo"},
                new String[] {"GET", "/api/tickets/" + ticketId + "/voice"},
                new String[] {"GET", "/api/classes"},
                new String[] {"GET", "/api/session"},
                new String[] {"POST", "/api/tickets/" + ticketId + "/corrections"},
                new String[] {"POST", "/api/logout"},
                new String[] {"POST", "/logout"});
    }

    private static HttpResponse<String> send(String[] route, String header, String value)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(served.uri(route[1]));
        if (route[0].equals("POST")) {
            b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"intent\": \"refund\"}"));
        }
        if (header != null) {
            b.header(header, value);
        }
        return served.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyProtectedRouteRefusesWithoutCredentialsOrWithWrongOnes() throws Exception {
        String[][] credentials = {
            {null, null},
            {"Authorization", "Bearer " + "0".repeat(64)},
            {"Authorization", "Basic YWxpY2U6cGFzc3dvcmQ="},
            {"Cookie", DeskApi.COOKIE + "=" + "f".repeat(64)},
        };
        int corrections = served.desk.tickets().corrections(ticketId).size();
        for (String[] route : protectedRoutes()) {
            for (String[] c : credentials) {
                HttpResponse<String> r = send(route, c[0], c[1]);
                String what = route[0] + " " + route[1] + " with " + c[0] + " " + c[1];
                assertEquals(401, r.statusCode(), what + ": " + r.body());
                assertFalse(r.body().contains("Zebra"), what + " shows the ticket: " + r.body());
                assertFalse(r.body().contains(ticketId) && !route[1].contains(ticketId), what);
            }
        }
        // the ticket is untouched: no correction got through
        assertEquals(corrections, served.desk.tickets().corrections(ticketId).size());
    }

    @Test
    void aSignedInAgentGetsThroughAndSeesTheTicket() throws Exception {
        String token = desk.token();
        HttpResponse<String> r = desk.get("/api/tickets/" + ticketId, token);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("Zebra-7431"));
        assertEquals(401, desk.get("/api/tickets/" + ticketId, token + "0").statusCode());
    }

    @Test
    void aWrongPasswordIsRefusedAndGivesNoToken() throws Exception {
        HttpResponse<String> wrong = desk.login(TestDesk.AGENT, "not the password");
        assertEquals(401, wrong.statusCode());
        assertFalse(wrong.body().contains("token"), wrong.body());
        HttpResponse<String> nobody = desk.login("nobody-at-all", "not the password");
        assertEquals(401, nobody.statusCode());
        assertEquals(
                SameAnswer.JSON.readTree(wrong.body()).get("error"),
                SameAnswer.JSON.readTree(nobody.body()).get("error"),
                "an unknown name and a wrong password read alike");
        HttpResponse<String> page =
                served.client.send(
                        HttpRequest.newBuilder(served.uri("/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "name=alice&password=wrong-password"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(401, page.statusCode());
        assertTrue(page.headers().firstValue("Set-Cookie").isEmpty());
    }

    @Test
    void repeatedWrongPasswordsLockTheNameEvenAgainstTheRightOne() throws Exception {
        assertEquals(401, desk.login(LOCKED_AGENT, "guess one").statusCode());
        assertEquals(401, desk.login(LOCKED_AGENT, "guess two").statusCode());
        HttpResponse<String> third = desk.login(LOCKED_AGENT, "guess three");
        assertEquals(429, third.statusCode(), third.body());
        assertTrue(third.body().contains("locked"), third.body());
        HttpResponse<String> right = desk.login(LOCKED_AGENT, "the right password");
        assertEquals(429, right.statusCode(), "locked: the right password is refused too");
        assertFalse(right.body().contains("token"));
        assertEquals(200, desk.login(TestDesk.AGENT, TestDesk.PASSWORD).statusCode(), "others not");
    }

    @Test
    void thePageSessionIsAnHttpOnlySameSiteCookieAndItsPostsNeedTheCsrfToken() throws Exception {
        HttpResponse<String> login =
                served.client.send(
                        HttpRequest.newBuilder(served.uri("/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "name="
                                                        + TestDesk.AGENT
                                                        + "&password="
                                                        + TestDesk.PASSWORD.replace(" ", "+")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(303, login.statusCode(), login.body());
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> session = send(new String[] {"GET", "/api/session"}, "Cookie", cookie);
        assertEquals(200, session.statusCode(), session.body());
        String csrf = SameAnswer.JSON.readTree(session.body()).get("csrf").asText();
        assertNotNull(csrf);

        String[] correct = {"POST", "/api/tickets/" + ticketId + "/corrections"};
        HttpResponse<String> noToken = send(correct, "Cookie", cookie);
        assertEquals(403, noToken.statusCode(), "a cookie alone changes nothing");
        HttpResponse<String> withToken =
                served.client.send(
                        HttpRequest.newBuilder(served.uri(correct[1]))
                                .header("Content-Type", "application/json")
                                .header("Cookie", cookie)
                                .header(DeskApi.CSRF_HEADER, csrf)
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(201, withToken.statusCode(), withToken.body());
    }

    @Test
    void theTicketRateLimitAnswers429AndRecovers() throws Exception {
        AccessSettings limited = TestDesk.UNLIMITED.withTicketRate(2, 3);
        try (ServedModel small =
                ServedModel.start(
                        ServerSettings.defaults().withPort(0), TestDesk.newStore(), limited)) {
            DeskClient c = new DeskClient(small.client, small.uri("/"));
            for (int i = 0; i < 3; i++) {
                c.ticket("burst " + i);
            }
            HttpResponse<String> refused =
                    new MultipartBody()
                            .text("text", "one too many")
                            .post(small.client, small.uri("/api/tickets"));
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertEquals(3, small.desk.tickets().count(), "a refused ticket is not stored");
            Thread.sleep(1100); // 2 a second: a token is back after half a second
            assertEquals(200, c.ticket("after the wait").get("stored").asBoolean() ? 200 : 500);
        }
    }
}
