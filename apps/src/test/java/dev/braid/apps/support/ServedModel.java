package dev.braid.apps.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;

/** The tiny customer-service model behind a running server on loopback, for the HTTP tests. */
final class ServedModel implements AutoCloseable {

    final FusionTicketRouter router;
    final TicketServer server;
    final HttpClient client = HttpClient.newHttpClient();

    private ServedModel(FusionTicketRouter router, TicketServer server) {
        this.router = router;
        this.server = server;
    }

    /** Starts a server with these settings (port 0 picks a free one). */
    static ServedModel start(ServerSettings settings) throws IOException {
        FusionTicketRouter router =
                FusionTicketRouter.load(
                        TinySupportModel.model(),
                        TinySupportModel.model().resolve(SupportModel.REPLIES));
        return new ServedModel(router, TicketServer.start(router, settings));
    }

    /** An address on the server, e.g. {@code uri("/api/tickets")}. */
    URI uri(String path) {
        return server.uri().resolve(path);
    }

    @Override
    public void close() {
        server.close();
        router.close();
    }
}
