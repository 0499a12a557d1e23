package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/model} puts another model directory in service while tickets keep coming: none
 * fails, tickets after the swap are answered by the new model, and {@code /health} names it.
 */
class ModelSwapTest {

    static final String MARK = "[second model] ";

    @TempDir Path dir;

    /** A copy of the tiny model whose replies are marked, so an answer tells which one gave it. */
    private Path markedCopy() throws Exception {
        Path from = TinySupportModel.model();
        Path to = dir.resolve("second");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path replies = to.resolve(SupportModel.REPLIES);
        ObjectNode root = (ObjectNode) SameAnswer.JSON.readTree(replies.toFile());
        for (Iterator<JsonNode> intents = root.get("replies").elements(); intents.hasNext(); ) {
            ObjectNode byLanguage = (ObjectNode) intents.next();
            for (Iterator<Map.Entry<String, JsonNode>> it = byLanguage.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(SameAnswer.JSON.getNodeFactory().textNode(MARK + e.getValue().asText()));
            }
        }
        SameAnswer.JSON.writeValue(replies.toFile(), root);
        return to;
    }

    @Test
    void aSwapUnderLoadFailsNoTicketAndTheNewModelAnswersAfterIt() throws Exception {
        Path first = TinySupportModel.model();
        Path second = markedCopy();
        ModelSwapRoute.Loader loader =
                d -> FusionTicketRouter.load(d, d.resolve(SupportModel.REPLIES));
        SwappableRouter router = new SwappableRouter(loader.load(first), first);
        try (Desk desk = TestDesk.open();
                AutoCloseable closeRouter = router::close) {
            TicketServer server =
                    TicketServer.start(router, ServerSettings.defaults().withPort(0), desk, loader);
            try {
                HttpClient client = HttpClient.newHttpClient();
                DeskClient api = new DeskClient(client, server.uri());
                String before = router.model();
                assertEquals(
                        401,
                        api.post("/api/model", null, "{\"dir\": \"" + second + "\"}").statusCode());

                AtomicBoolean swapped = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<List<String>>> sent = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    sent.add(
                            clients.submit(
                                    () -> {
                                        // each client: tickets until 10 after the swap, at most 200
                                        List<String> outcomes = new ArrayList<>();
                                        int afterSwap = 0;
                                        for (int i = 0; i < 200 && afterSwap < 10; i++) {
                                            boolean wasSwapped = swapped.get();
                                            HttpResponse<String> r =
                                                    new MultipartBody()
                                                            .text(
                                                                    "text",
                                                                    "my order " + i + " is late")
                                                            .post(
                                                                    client,
                                                                    server.uri()
                                                                            .resolve(
                                                                                    "/api/tickets"));
                                            String reply =
                                                    r.statusCode() == 200
                                                            ? SameAnswer.JSON
                                                                    .readTree(r.body())
                                                                    .get("reply")
                                                                    .asText()
                                                            : "";
                                            outcomes.add(
                                                    r.statusCode()
                                                            + (wasSwapped ? " after " : " during ")
                                                            + reply);
                                            if (wasSwapped) {
                                                afterSwap++;
                                            }
                                        }
                                        return outcomes;
                                    }));
                }
                Thread.sleep(300); // tickets in flight
                String token = api.token();
                HttpResponse<String> swap =
                        api.post("/api/model", token, "{\"dir\": \"" + second + "\"}");
                assertEquals(200, swap.statusCode(), swap.body());
                swapped.set(true);
                clients.shutdown();
                List<String> outcomes = new ArrayList<>();
                for (Future<List<String>> f : sent) {
                    outcomes.addAll(f.get());
                }
                assertTrue(
                        outcomes.stream().allMatch(o -> o.startsWith("200 ")),
                        "every ticket answered: " + outcomes);
                assertTrue(
                        outcomes.stream()
                                .filter(o -> o.startsWith("200 after "))
                                .allMatch(o -> o.contains(MARK)),
                        "after the swap the new model answers");
                assertEquals(40, outcomes.stream().filter(o -> o.startsWith("200 after ")).count());

                String after = SameAnswer.JSON.readTree(swap.body()).get("model").asText();
                assertNotEquals(before, after);
                JsonNode health = SameAnswer.JSON.readTree(api.get("/health", null).body());
                assertEquals(after, health.get("model").asText());
                assertEquals(second.toString(), health.get("modelDir").asText());

                HttpResponse<String> notAModel =
                        api.post("/api/model", token, "{\"dir\": \"" + dir + "\"}");
                assertEquals(400, notAModel.statusCode(), notAModel.body());
                assertEquals(
                        "dir", SameAnswer.JSON.readTree(notAModel.body()).get("field").asText());
                assertEquals(after, router.model(), "a failed swap keeps the model in service");
            } finally {
                server.close();
            }
        }
    }
}
