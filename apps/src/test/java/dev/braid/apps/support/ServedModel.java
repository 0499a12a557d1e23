package dev.braid.apps.support;

import dev.braid.apps.support.access.AccessSettings;
import dev.braid.apps.support.store.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;

/**
 * The tiny customer-service model behind a running server on loopback, storing its tickets in an
 * SQLite file of its own, for the HTTP tests.
 */
final class ServedModel implements AutoCloseable {

    final FusionTicketRouter router;
    final Desk desk;
    final TicketServer server;
    final HttpClient client = HttpClient.newHttpClient();

    private ServedModel(FusionTicketRouter router, Desk desk, TicketServer server) {
        this.router = router;
        this.desk = desk;
        this.server = server;
    }

    /** Starts a server with these settings (port 0 picks a free one), unlimited ticket rate. */
    static ServedModel start(ServerSettings settings) throws IOException {
        return start(settings, TestDesk.newStore(), TestDesk.UNLIMITED);
    }

    /** Starts a server storing in {@code store}, limited by {@code access}. */
    static ServedModel start(ServerSettings settings, StoreSettings store, AccessSettings access)
            throws IOException {
        FusionTicketRouter router =
                FusionTicketRouter.load(
                        TinySupportModel.model(),
                        TinySupportModel.model().resolve(SupportModel.REPLIES));
        Desk desk = TestDesk.open(store, access);
        return new ServedModel(router, desk, TicketServer.start(router, settings, desk));
    }

    /** An address on the server, e.g. {@code uri("/api/tickets")}. */
    URI uri(String path) {
        return server.uri().resolve(path);
    }

    @Override
    public void close() {
        server.close();
        router.close();
        desk.close();
    }
}
