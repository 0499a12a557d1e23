package dev.braid.apps.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.support.access.SignIn;
import dev.braid.apps.support.store.Correction;
import dev.braid.apps.support.store.Session;
import dev.braid.apps.support.store.StoredTicket;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The agents' side of the desk, every route behind a sign-in:
 *
 * <ul>
 *   <li>{@code POST /api/login} {@code {"name", "password"}} gives a bearer token; {@code POST
 *       /login} (the page's form) sets the session cookie instead; {@code POST /api/logout}, {@code
 *       POST /logout} end them;
 *   <li>{@code GET /api/session}: who is signed in, and the CSRF token the page's forms echo;
 *   <li>{@code GET /api/classes}: what intent, product and urgency can be;
 *   <li>{@code GET /api/tickets?page=1&size=20}: answered tickets, newest first;
 *   <li>{@code GET /api/tickets/{id}}, {@code .../photo}, {@code .../voice}: one ticket;
 *   <li>{@code POST /api/tickets/{id}/corrections} {@code {"intent", "product", "urgency",
 *       "reply"}}, each optional: the agent's routing and reply, stored with who and when.
 * </ul>
 *
 * <p>A request proves its agent with {@code Authorization: Bearer TOKEN} or the {@code
 * braid_session} cookie (HttpOnly, SameSite=Strict). A cookie alone never changes anything: a POST
 * with it must also carry the session's CSRF token ({@code X-CSRF-Token} header or {@code csrf}
 * form field), which another site's page cannot read.
 */
final class DeskApi {

    static final String COOKIE = "braid_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> CORRECTION_FIELDS =
            Set.of("intent", "product", "urgency", "reply");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Desk desk;
    private final TicketRouter router;
    private final int maxReplyChars;

    DeskApi(Desk desk, TicketRouter router, int maxReplyChars) {
        this.desk = desk;
        this.router = router;
        this.maxReplyChars = maxReplyChars;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/login", this::apiLogin);
        routes.post("/login", this::pageLogin);
        routes.post("/api/logout", this::logout);
        routes.post("/logout", this::logout);
        routes.get("/api/session", this::session);
        routes.get("/api/classes", ctx -> ctx.json(agentThen(ctx, router.classes())));
        routes.get("/api/tickets", this::list);
        routes.get("/api/tickets/{id}", this::one);
        routes.get("/api/tickets/{id}/photo", ctx -> media(ctx, true));
        routes.get("/api/tickets/{id}/voice", ctx -> media(ctx, false));
        routes.post("/api/tickets/{id}/corrections", this::correct);
    }

    private void apiLogin(Context ctx) {
        JsonNode body = jsonBody(ctx);
        String name = text(body, "name");
        String password = text(body, "password");
        if (name == null) {
            throw new InvalidField("name", "give the agent's name");
        }
        if (password == null) {
            throw new InvalidField("password", "give the agent's password");
        }
        SignIn.Granted granted = signIn(name, password);
        ctx.json(
                Map.of(
                        "token", granted.token(),
                        "agent", granted.session().agent(),
                        "expiresAt", granted.session().expiresAt().toString()));
    }

    private void pageLogin(Context ctx) {
        String name = ctx.formParam("name");
        String password = ctx.formParam("password");
        SignIn.Granted granted;
        try {
            granted = signIn(name == null ? "" : name, password == null ? "" : password);
        } catch (RejectedRequest e) {
            ctx.status(e.status())
                    .html(
                            "<!doctype html><meta charset=utf-8><title>Sign-in refused</title>"
                                    + "<p>Sign-in refused: "
                                    + org.apache.commons.text.StringEscapeUtils.escapeHtml4(
                                            e.getMessage())
                                    + ". <a href=\"/desk.html\">Back</a></p>");
            return;
        }
        long maxAge =
                java.time.Duration.between(desk.clock().instant(), granted.session().expiresAt())
                        .toSeconds();
        ctx.header(
                "Set-Cookie",
                COOKIE
                        + "="
                        + granted.token()
                        + "; Path=/; Max-Age="
                        + maxAge
                        + "; HttpOnly; SameSite=Strict"
                        + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
        ctx.redirect("/desk.html", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private SignIn.Granted signIn(String name, String password) {
        try {
            return desk.signIn().signIn(name, password.toCharArray());
        } catch (SignIn.Refused e) {
            throw new RejectedRequest(e.locked() ? 429 : 401, null, e.getMessage());
        }
    }

    private void logout(Context ctx) {
        agent(ctx);
        desk.signIn().signOut(token(ctx).orElseThrow());
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("signedOut", true));
        } else {
            ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            ctx.redirect("/desk.html", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void session(Context ctx) {
        Session s = agent(ctx);
        ctx.json(
                Map.of(
                        "agent",
                        s.agent(),
                        "csrf",
                        s.csrf(),
                        "expiresAt",
                        s.expiresAt().toString()));
    }

    private void list(Context ctx) {
        agent(ctx);
        int page = positive(ctx, "page", 1, Integer.MAX_VALUE);
        int size = positive(ctx, "size", 20, MAX_PAGE_SIZE);
        List<StoredTicket> tickets =
                desk.tickets()
                        .newest((int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * size), size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page", page);
        body.put("size", size);
        body.put("total", desk.tickets().count());
        body.put("tickets", tickets);
        ctx.json(body);
    }

    private void one(Context ctx) {
        agent(ctx);
        StoredTicket ticket = ticket(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticket", ticket);
        body.put("corrections", desk.tickets().corrections(ticket.id()));
        ctx.json(body);
    }

    private void media(Context ctx, boolean photo) {
        agent(ctx);
        String id = ctx.pathParam("id");
        Optional<byte[]> bytes = photo ? desk.tickets().photo(id) : desk.tickets().voice(id);
        if (bytes.isEmpty()) {
            throw new RejectedRequest(
                    404,
                    null,
                    "ticket "
                            + id
                            + " has no "
                            + (photo ? "photo" : "voice note")
                            + " (none was sent, or it was deleted after its retention)");
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType(photo ? MediaType.ofImage(bytes.get()) : "audio/wav").result(bytes.get());
    }

    private void correct(Context ctx) {
        Session agent = agent(ctx);
        StoredTicket ticket = ticket(ctx);
        JsonNode body = jsonBody(ctx);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CORRECTION_FIELDS.contains(name)) {
                throw new InvalidField(
                        name, "unknown field '" + name + "'; the fields are " + CORRECTION_FIELDS);
            }
        }
        Correction before = ticket.correction();
        String intent =
                label(body, "intent", before != null ? before.intent() : ticket.intent().label());
        String product =
                label(
                        body,
                        "product",
                        before != null ? before.product() : ticket.product().label());
        String urgency =
                label(
                        body,
                        "urgency",
                        before != null ? before.urgency() : ticket.urgency().label());
        String reply = text(body, "reply");
        if (reply == null) {
            reply = before != null ? before.reply() : ticket.reply();
        }
        reply = reply.strip();
        if (reply.isEmpty()) {
            throw new InvalidField(
                    "reply", "the reply is empty; send the suggested one to accept it");
        }
        if (reply.codePointCount(0, reply.length()) > maxReplyChars) {
            throw new InvalidField(
                    "reply", "the reply has more than " + maxReplyChars + " characters");
        }
        Correction correction =
                new Correction(
                        ticket.id(),
                        agent.agent(),
                        desk.clock().instant(),
                        intent,
                        product,
                        urgency,
                        reply,
                        !reply.equals(ticket.reply()));
        desk.tickets().correct(UUID.randomUUID().toString(), correction);
        ctx.status(201).json(correction);
    }

    private String label(JsonNode body, String head, String current) {
        if (!body.has(head)) {
            return current;
        }
        String value = text(body, head);
        List<String> classes = router.classes().get(head);
        if (value == null || !classes.contains(value)) {
            throw new InvalidField(
                    head, head + " (" + body.get(head) + ") must be one of " + classes);
        }
        return value;
    }

    private StoredTicket ticket(Context ctx) {
        String id = ctx.pathParam("id");
        return desk.tickets()
                .find(id)
                .orElseThrow(() -> new RejectedRequest(404, null, "no ticket " + id));
    }

    private static int positive(Context ctx, String name, int fallback, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidField(name, name + " (" + value + ") must be a whole number in 1.." + max);
    }

    private static JsonNode jsonBody(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidField(null, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw new InvalidField(null, "the body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidField(field, field + " must be a string, not " + node.getNodeType());
        }
        return node.asText();
    }

    private <T> T agentThen(Context ctx, T value) {
        agent(ctx);
        return value;
    }

    /**
     * The agent signed in for this request.
     *
     * @throws RejectedRequest 401 without a valid token or session, 403 for a cookie-only POST
     *     without the session's CSRF token
     */
    Session agent(Context ctx) {
        Optional<String> token = token(ctx);
        if (token.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new RejectedRequest(
                    401, null, "sign in first: POST /api/login, or the form on /desk.html");
        }
        Session session =
                desk.signIn()
                        .session(token.get())
                        .orElseThrow(
                                () -> {
                                    ctx.header(
                                            "WWW-Authenticate", "Bearer error=\"invalid_token\"");
                                    return new RejectedRequest(
                                            401, null, "the sign-in is unknown or has ended");
                                });
        boolean byCookie = ctx.header("Authorization") == null;
        if (byCookie && !"GET".equals(ctx.method().name())) {
            String csrf = ctx.header(CSRF_HEADER);
            if (csrf == null && ctx.isFormUrlencoded()) {
                csrf = ctx.formParam("csrf");
            }
            if (!session.csrf().equals(csrf)) {
                throw new RejectedRequest(
                        403, null, "missing or wrong CSRF token (" + CSRF_HEADER + ")");
            }
        }
        return session;
    }

    private static Optional<String> token(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null) {
            return auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? Optional.of(auth.substring(7).strip())
                    : Optional.empty();
        }
        return Optional.ofNullable(ctx.cookie(COOKIE)).filter(c -> !c.isEmpty());
    }
}
