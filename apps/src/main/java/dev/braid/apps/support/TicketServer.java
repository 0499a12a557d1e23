package dev.braid.apps.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.data.UnreadableInputException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service app's HTTP server (Javalin on Jetty):
 *
 * <ul>
 *   <li>{@code POST /api/tickets}: a multipart form with {@code text}, {@code image} and {@code
 *       audio}, each optional, open to anyone but rate-limited per client (429); answers a {@link
 *       RoutedTicket} as JSON with the stored ticket's {@code ticketId}, or {@code {"status",
 *       "part", "error"}} with 400, 413 or 415;
 *   <li>{@code GET /health}: {@code {"status": "ok", ...}} once the model is loaded, with the
 *       model's fingerprint, batching and storage counts (open: it holds no ticket data);
 *   <li>the agents' desk ({@link DeskApi}), every route behind a sign-in;
 *   <li>{@code GET /}: the page where a person writes a ticket, attaches or records, and sends.
 * </ul>
 *
 * <p>{@link #close()} is graceful: it stops accepting connections and lets requests in flight
 * finish, up to {@link ServerSettings#stopTimeout()}.
 */
public final class TicketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TicketServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TicketRouter router;
    private final Desk desk;
    private final String host;
    private final TicketForm form;
    private final AtomicLong answered = new AtomicLong();
    private final Javalin app;

    private final ModelSwapRoute.Loader loader;

    private TicketServer(
            TicketRouter router, ServerSettings settings, Desk desk, ModelSwapRoute.Loader loader) {
        this.router = router;
        this.desk = desk;
        this.loader = loader;
        this.host = settings.host();
        this.form = new TicketForm(settings);
        this.app = Javalin.create(config -> configure(config, settings));
    }

    private void configure(JavalinConfig config, ServerSettings settings) {
        config.startup.showJavalinBanner = false;
        config.http.prefer405over404 = true;
        config.jetty.host = settings.host();
        config.jetty.port = settings.port();
        config.jetty.modifyServer(
                server -> {
                    // Counts requests in flight so stop() can wait for them.
                    server.setHandler(new GracefulHandler());
                    server.setStopTimeout(settings.stopTimeout().toMillis());
                });
        // Jetty caps plain (non-file) fields at 200 kB in all; let the per-part limit be the one
        // that applies to the message too.
        int maxRequest = (int) Math.min(Integer.MAX_VALUE, settings.maxRequestBytes());
        config.jetty.modifyServletContextHandler(
                context -> context.setMaxFormContentSize(maxRequest));
        config.staticFiles.add(
                files -> {
                    files.hostedPath = "/";
                    files.directory = "/web";
                    files.location = Location.CLASSPATH;
                });
        config.routes.get("/health", this::health);
        config.routes.post("/api/tickets", this::ticket);
        DeskApi deskApi = new DeskApi(desk, router, settings.maxTextChars());
        deskApi.register(config.routes);
        if (router instanceof SwappableRouter swappable && loader != null) {
            config.routes.post("/api/model", new ModelSwapRoute(swappable, loader, deskApi)::swap);
        }
        if (router instanceof ReplySuggester suggester) {
            config.routes.post(
                    ReplyStream.PATH,
                    // a generated reply is decoded alone, not batched: at most one a core at once
                    new ReplyStream(
                                    suggester,
                                    form,
                                    new java.util.concurrent.Semaphore(
                                            Runtime.getRuntime().availableProcessors(), true))
                            ::handle);
        }
        config.routes.exception(RejectedRequest.class, TicketServer::rejected);
        config.routes.exception(InvalidField.class, (e, ctx) -> ctx.status(400).json(e.body()));
        config.routes.exception(UnreadableInputException.class, TicketServer::unreadable);
        config.routes.exception(Exception.class, TicketServer::failed);
    }

    /** Starts a server storing its tickets in {@code desk}; it answers once this returns. */
    public static TicketServer start(TicketRouter router, ServerSettings settings, Desk desk) {
        TicketServer server = new TicketServer(router, settings, desk, null);
        server.app.start();
        return server;
    }

    /**
     * As {@link #start(TicketRouter, ServerSettings, Desk)}, also taking {@code POST /api/model}:
     * agents put another model directory in service, loaded by {@code loader}, without downtime.
     */
    public static TicketServer start(
            SwappableRouter router,
            ServerSettings settings,
            Desk desk,
            ModelSwapRoute.Loader loader) {
        TicketServer server = new TicketServer(router, settings, desk, loader);
        server.app.start();
        return server;
    }

    /** The port it listens on (the chosen one when the settings said 0). */
    public int port() {
        return app.port();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return URI.create("http://" + host + ":" + port() + "/");
    }

    private void health(Context ctx) {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("reads", router.reads());
        health.put("answered", answered.get());
        health.put("model", router.model());
        health.putAll(router.counts());
        health.putAll(desk.health());
        ctx.json(health);
    }

    private void ticket(Context ctx) throws Exception {
        Ticket ticket = form.read(ctx.req());
        // judged after the body is read: answering before it would reset the client's connection
        String client = ctx.ip();
        if (!desk.ticketRate().tryAcquire(client)) {
            ctx.header("Retry-After", String.valueOf(desk.ticketRate().retryAfterSeconds(client)));
            throw new RejectedRequest(
                    429, null, "too many tickets from " + client + "; wait and send again");
        }
        RoutedTicket routed = router.route(ticket);
        Desk.Recorded recorded = desk.record(ticket, routed, router.model());
        answered.incrementAndGet();
        ObjectNode body = JSON.valueToTree(routed);
        body.put("ticketId", recorded.id());
        body.put("stored", recorded.stored());
        ctx.json(body);
    }

    private static void rejected(RejectedRequest e, Context ctx) {
        ctx.status(e.status()).json(e.body());
    }

    private static void unreadable(UnreadableInputException e, Context ctx) {
        rejected(
                new RejectedRequest(
                        400,
                        FusionTicketRouter.partName(e.modality()),
                        "could not be decoded: " + e.reason()),
                ctx);
    }

    private static void failed(Exception e, Context ctx) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        ctx.status(500).json(new RejectedRequest.Body(500, null, "internal error: " + e));
    }

    /** Stops accepting, finishes the requests in flight, then stops. */
    @Override
    public void close() {
        app.stop();
    }
}
