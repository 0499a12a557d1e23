package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing the server answers the request in flight and takes no new connection. */
class GracefulStopTest {

    /** Holds every ticket until released, so a request is surely in flight. */
    static final class HeldRouter implements TicketRouter {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public RoutedTicket route(Ticket ticket) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            RoutedTicket.Decision d =
                    new RoutedTicket.Decision("refund", 1.0, Map.of("refund", 1.0));
            return new RoutedTicket(d, d, d, "held reply", "en", List.of("text"), 1.0);
        }

        @Override
        public List<String> reads() {
            return List.of("text");
        }

        @Override
        public Map<String, List<String>> classes() {
            return Map.of("intent", List.of("refund"));
        }

        @Override
        public String model() {
            return "held";
        }
    }

    @Test
    void closeFinishesTheRequestInFlightAndRefusesNewConnections() throws Exception {
        HeldRouter router = new HeldRouter();
        Desk desk = TestDesk.open();
        TicketServer server =
                TicketServer.start(
                        router,
                        ServerSettings.defaults()
                                .withPort(0)
                                .withStopTimeout(Duration.ofSeconds(20)),
                        desk);
        int port = server.port();
        CompletableFuture<HttpResponse<String>> inFlight =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return new MultipartBody()
                                        .text("text", "I want my money back")
                                        .post(
                                                HttpClient.newHttpClient(),
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + port
                                                                + "/api/tickets"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        assertTrue(router.entered.await(20, TimeUnit.SECONDS), "the request reached the router");

        Thread closing = new Thread(server::close, "closing");
        closing.start();
        assertTrue(refusesConnections(port, Duration.ofSeconds(10)), "no new connections");
        assertTrue(closing.isAlive(), "close() waits while a request is in flight");
        assertFalse(inFlight.isDone());

        router.release.countDown();
        HttpResponse<String> answered = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(answered.body().contains("held reply"));
        closing.join(20_000);
        assertFalse(closing.isAlive(), "close() returns once the request is answered");
        desk.close();
    }

    private static boolean refusesConnections(int port, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(50);
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }
}
