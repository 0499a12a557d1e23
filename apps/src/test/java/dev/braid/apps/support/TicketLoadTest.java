package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.fusion.data.ManifestEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bounded load test on loopback: a fixed number of requests from a few concurrent clients, within
 * a fixed time, with dynamic batching and storage on. It checks that every request is answered with
 * 200 and the answer the ticket got alone, that every answered ticket was stored, and reports
 * requests per second and latency percentiles (printed and written to {@code
 * target/load-test.txt}); it sets no speed target.
 */
class TicketLoadTest {

    static final int REQUESTS = 600;
    static final int CLIENTS = 8;
    static final int DISTINCT_TICKETS = 40;
    static final long TIME_LIMIT_SECONDS = 180;

    @Test
    void everyRequestOfABurstIsAnsweredCorrectly() throws Exception {
        try (ServedModel served = ServedModel.start(ServerSettings.defaults().withPort(0))) {
            URI uri = served.uri("/api/tickets");
            HttpClient client = served.client;
            List<ManifestEntry> tickets = SupportTickets.test().subList(0, DISTINCT_TICKETS);
            List<byte[]> bodies = new ArrayList<>();
            List<JsonNode> expected = new ArrayList<>();
            for (ManifestEntry e : tickets) {
                MultipartBody body = SupportTickets.form(e);
                bodies.add(body.bytes());
                expected.add(answer(body.post(client, uri)));
            }

            long[] latencies = new long[REQUESTS];
            AtomicInteger errors = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int request = i;
                sent.add(
                        pool.submit(
                                () -> {
                                    int t = request % DISTINCT_TICKETS;
                                    long begin = System.nanoTime();
                                    try {
                                        HttpResponse<String> r = post(client, uri, bodies.get(t));
                                        latencies[request] = System.nanoTime() - begin;
                                        if (!SameAnswer.same(expected.get(t), answer(r))) {
                                            errors.incrementAndGet();
                                        }
                                    } catch (Exception | AssertionError e) {
                                        errors.incrementAndGet();
                                    }
                                }));
            }
            pool.shutdown();
            assertTrue(
                    pool.awaitTermination(TIME_LIMIT_SECONDS, TimeUnit.SECONDS),
                    "the burst finishes within " + TIME_LIMIT_SECONDS + " s");
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Future<?> f : sent) {
                f.get();
            }
            assertEquals(0, errors.get(), "failed or wrong answers");
            // storage is on: every answered ticket was written, none failed
            assertEquals(DISTINCT_TICKETS + REQUESTS, served.desk.tickets().count());
            assertEquals(0L, served.desk.health().get("storageFailures"));

            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            String report =
                    String.format(
                            "load test: %d requests (%d distinct tickets, text + photo + voice"
                                    + " where the ticket has them), %d concurrent clients,"
                                    + " %d cores%n"
                                    + "  %.1f s, %.1f requests/s, latency p50 %.1f ms, p99 %.1f"
                                    + " ms, max %.1f ms, errors %d%n"
                                    + "  forward passes %s for %s tickets%n",
                            REQUESTS,
                            DISTINCT_TICKETS,
                            CLIENTS,
                            Runtime.getRuntime().availableProcessors(),
                            seconds,
                            REQUESTS / seconds,
                            percentile(sorted, 0.50) / 1e6,
                            percentile(sorted, 0.99) / 1e6,
                            sorted[sorted.length - 1] / 1e6,
                            errors.get(),
                            served.router.counts().get("batches"),
                            served.router.counts().get("predicted"));
            System.out.print(report);
            Files.writeString(Path.of("target", "load-test.txt"), report);
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, byte[] body)
            throws Exception {
        return client.send(
                java.net.http.HttpRequest.newBuilder(uri)
                        .header("Content-Type", MultipartBody.contentType())
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The body without its latency, which differs from call to call. */
    private static JsonNode answer(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return SameAnswer.of(response.body());
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
