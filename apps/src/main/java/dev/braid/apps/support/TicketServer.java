package dev.braid.apps.support;

import dev.braid.fusion.data.UnreadableInputException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service app's HTTP server (Javalin on Jetty):
 *
 * <ul>
 *   <li>{@code POST /api/tickets}: a multipart form with {@code text}, {@code image} and {@code
 *       audio}, each optional; answers a {@link RoutedTicket} as JSON, or {@code {"status", "part",
 *       "error"}} with 400, 413 or 415;
 *   <li>{@code GET /health}: {@code {"status": "ok", ...}} once the model is loaded;
 *   <li>{@code GET /}: the page where a person writes a ticket, attaches or records, and sends.
 * </ul>
 *
 * <p>{@link #close()} is graceful: it stops accepting connections and lets requests in flight
 * finish, up to {@link ServerSettings#stopTimeout()}.
 */
public final class TicketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TicketServer.class);

    private final TicketRouter router;
    private final String host;
    private final TicketForm form;
    private final Semaphore predicting;
    private final AtomicLong answered = new AtomicLong();
    private final Javalin app;

    private TicketServer(TicketRouter router, ServerSettings settings) {
        this.router = router;
        this.host = settings.host();
        this.form = new TicketForm(settings);
        this.predicting = new Semaphore(settings.maxConcurrentPredictions(), true);
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
        if (router instanceof ReplySuggester suggester) {
            config.routes.post(
                    ReplyStream.PATH, new ReplyStream(suggester, form, predicting)::handle);
        }
        config.routes.exception(RejectedRequest.class, TicketServer::rejected);
        config.routes.exception(UnreadableInputException.class, TicketServer::unreadable);
        config.routes.exception(Exception.class, TicketServer::failed);
    }

    /** Starts a server; it answers once this returns. */
    public static TicketServer start(TicketRouter router, ServerSettings settings) {
        TicketServer server = new TicketServer(router, settings);
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
        ctx.json(Map.of("status", "ok", "reads", router.reads(), "answered", answered.get()));
    }

    private void ticket(Context ctx) throws Exception {
        Ticket ticket = form.read(ctx.req());
        predicting.acquire();
        RoutedTicket routed;
        try {
            routed = router.route(ticket);
        } finally {
            predicting.release();
        }
        answered.incrementAndGet();
        ctx.json(routed);
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
