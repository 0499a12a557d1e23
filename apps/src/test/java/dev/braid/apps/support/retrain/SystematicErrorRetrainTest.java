package dev.braid.apps.support.retrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.Braid;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.apps.support.ModelFingerprint;
import dev.braid.apps.support.RoutedTicket;
import dev.braid.apps.support.Ticket;
import dev.braid.apps.support.store.Correction;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.apps.support.store.TicketStore;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents correct a systematic error and {@code braid retrain} fixes it without forgetting.
 *
 * <p>The start model is a small text model of support tickets (intent, product, urgency, each named
 * by a phrase) trained on data whose labelling filed every "webcam" ticket under {@code phone}, so
 * it routes webcams to phones. The desk then answers a stream of new tickets, two in five about
 * webcams, and agents correct every one to the truth (webcam: {@code camera}); the store is an
 * SQLite file in a temporary folder. After retraining, the held-back webcam tickets must be routed
 * to {@code camera} (the start model gets almost none), and the original test tickets that were
 * never in question must keep their accuracy on every head.
 */
class SystematicErrorRetrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[][] PRODUCTS = {
        {"phone", "phone"}, {"phone", "smartphone"},
        {"laptop", "laptop"}, {"laptop", "notebook"},
        {"camera", "camera"}, {"camera", "webcam"},
        {"headphones", "headphones"}, {"headphones", "earbuds"}
    };
    private static final String[][] INTENTS = {
        {"refund", "I want my money back for"}, {"refund", "please refund"},
        {"exchange", "can I swap"}, {"exchange", "I would like a replacement for"},
        {"damaged_item", "there is a crack in"}, {"damaged_item", "it arrived broken,"}
    };
    private static final String[][] URGENCIES = {
        {"high", "urgent please"}, {"high", "as soon as possible"},
        {"low", "no rush"}, {"low", "whenever you can"}
    };
    private static final String[] NAMES = {"Sam", "Li", "Ana", "Tom", "Mei"};

    @TempDir static Path dir;

    private static Path start;
    private static Path db;

    /** A generated ticket: its text and its true labels. */
    private record Generated(String text, String intent, String product, String urgency) {
        boolean webcam() {
            return text.contains("webcam");
        }

        /** The labels the original data's labelling gave: webcams filed under phones. */
        String filedProduct() {
            return webcam() ? "phone" : product;
        }
    }

    private static Generated ticket(SplittableRandom random, boolean webcam) {
        String[] product = webcam ? PRODUCTS[5] : PRODUCTS[random.nextInt(PRODUCTS.length)];
        String[] intent = INTENTS[random.nextInt(INTENTS.length)];
        String[] urgency = URGENCIES[random.nextInt(URGENCIES.length)];
        String text =
                "hi "
                        + intent[1]
                        + " my "
                        + product[1]
                        + ", "
                        + urgency[1]
                        + ". "
                        + NAMES[random.nextInt(NAMES.length)];
        return new Generated(text, intent[0], product[0], urgency[0]);
    }

    @BeforeAll
    static void startModelAndDesk() throws IOException {
        Path data = dir.resolve("tickets");
        Files.createDirectories(data);
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder manifest = new StringBuilder();
        int id = 0;
        for (String[] split : new String[][] {{"train", "640"}, {"val", "160"}, {"test", "240"}}) {
            for (int i = 0; i < Integer.parseInt(split[1]); i++) {
                Generated t = ticket(random, false);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", "r" + id++);
                row.put("text", t.text());
                row.put(
                        "label",
                        Map.of(
                                "intent", t.intent(),
                                "product", t.filedProduct(),
                                "urgency", t.urgency()));
                row.put("split", split[0]);
                manifest.append(JSON.writeValueAsString(row)).append('\n');
            }
        }
        Files.writeString(data.resolve("manifest.jsonl"), manifest);
        String yaml =
                String.join(
                        "\n",
                        "name: webcam-start",
                        "data: [{path: '" + data + "', weight: 1.0}]",
                        "features: {textMaxLength: 48, vocabularySize: 400, imageSize: 32,"
                                + " imageChannels: 3, mels: 64, audioMaxSeconds: 1.0,"
                                + " audioMaxFrames: 100, cache: false}",
                        "model: {modalities: [TEXT], width: 32, fusion: {kind: GATED, width: 32,"
                                + " heads: 2, layers: 1, latents: 4, dropout: 0.1}}",
                        "training: {epochs: 12, batchSize: 32, accumulation: 1, learningRate:"
                                + " 0.003, modalityDropout: 0.0, earlyStoppingMetric: loss, seed:"
                                + " 3}",
                        "output: '" + dir.resolve("start") + "'");
        RunConfig config = RunConfig.parse(yaml, List.of(), "test");
        start = new TrainingRun(config).run(List.of()).modelDir();

        db = dir.resolve("desk.db");
        try (Database database = Database.open(StoreSettings.sqlite(db));
                FusionPredictor predictor = FusionPredictor.load(start)) {
            TicketStore store = new TicketStore(database);
            SplittableRandom served = new SplittableRandom(11);
            Instant at = Instant.parse("2025-01-01T00:00:00Z");
            for (int i = 0; i < 150; i++) {
                Generated t = ticket(served, served.nextInt(5) < 2);
                Prediction p = predictor.predict(t.text(), null, null);
                String ticketId = String.format("s%03d", i);
                store.save(
                        ticketId,
                        at.plusSeconds(i),
                        new Ticket(t.text(), null, null),
                        routed(p),
                        ModelFingerprint.of(start));
                store.correct(
                        "c" + ticketId,
                        new Correction(
                                ticketId,
                                "alice",
                                at.plusSeconds(1000 + i),
                                t.intent(),
                                t.product(),
                                t.urgency(),
                                "reply",
                                false));
            }
        }
    }

    private static RoutedTicket routed(Prediction p) {
        return new RoutedTicket(
                decision(p, "intent"),
                decision(p, "product"),
                decision(p, "urgency"),
                "reply",
                "en",
                List.of("text"),
                1);
    }

    private static RoutedTicket.Decision decision(Prediction p, String head) {
        Prediction.HeadPrediction h = p.heads().get(head);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        h.scores().forEach(s -> probabilities.put(s.label(), s.probability()));
        return new RoutedTicket.Decision(h.label(), h.scores().get(0).probability(), probabilities);
    }

    private static String retrain(Path out) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            var cli = Braid.commandLine();
            cli.setErr(new PrintWriter(err, true));
            code =
                    cli.execute(
                            "retrain",
                            "--from-db",
                            "jdbc:sqlite:" + db,
                            "--model",
                            start.toString(),
                            "--out",
                            out.toString(),
                            "--hold-back",
                            "0.3",
                            "--seed",
                            "9");
        } finally {
            System.setOut(original);
        }
        String stdout = printed.toString(StandardCharsets.UTF_8);
        System.out.print(stdout);
        assertEquals(0, code, err.toString());
        return stdout;
    }

    /** Accuracy of {@code head} over {@code tickets}. */
    private static double accuracy(Path model, List<Generated> tickets, String head)
            throws IOException {
        try (FusionPredictor predictor = FusionPredictor.load(model)) {
            int right = 0;
            for (Generated t : tickets) {
                String truth =
                        switch (head) {
                            case "intent" -> t.intent();
                            case "product" -> t.product();
                            default -> t.urgency();
                        };
                if (predictor
                        .predict(t.text(), null, null)
                        .heads()
                        .get(head)
                        .label()
                        .equals(truth)) {
                    right++;
                }
            }
            return right / (double) tickets.size();
        }
    }

    @Test
    void retrainingFixesTheCorrectedProductWithoutForgettingTheRest() throws IOException {
        Path out = dir.resolve("retrained");
        String printed = retrain(out);

        // the held-back corrected tickets, as corrections.jsonl lists them, with their texts
        Map<String, Generated> served = new LinkedHashMap<>();
        try (Database database = Database.open(StoreSettings.sqlite(db))) {
            TicketStore store = new TicketStore(database);
            for (String line : Files.readAllLines(out.resolve(CorrectionSet.FILE))) {
                JsonNode row = JSON.readTree(line);
                if (row.get("split").asText().equals("held-back")) {
                    var t = store.find(row.get("ticket").asText()).orElseThrow();
                    served.put(
                            t.id(),
                            new Generated(
                                    t.text(),
                                    t.correction().intent(),
                                    t.correction().product(),
                                    t.correction().urgency()));
                }
            }
        }
        List<Generated> heldWebcams = served.values().stream().filter(Generated::webcam).toList();
        List<Generated> heldOthers = served.values().stream().filter(t -> !t.webcam()).toList();
        assertTrue(heldWebcams.size() >= 12, "held-back webcam tickets: " + heldWebcams.size());

        double before = accuracy(start, heldWebcams, "product");
        double after = accuracy(out, heldWebcams, "product");
        System.out.printf(
                "held-back webcam tickets (%d): product accuracy %.1f%% -> %.1f%%%n",
                heldWebcams.size(), 100 * before, 100 * after);
        assertTrue(before <= 0.2, "the start model files webcams under phones: " + before);
        assertTrue(after >= 0.8, "the retrained model routes webcams to cameras: " + after);

        // everything that was never wrong stays right: the original test tickets (no webcam
        // among them) and the held-back corrections of the other products, on every head
        SplittableRandom fresh = new SplittableRandom(23);
        List<Generated> others = new ArrayList<>(heldOthers);
        for (int i = 0; i < 120; i++) {
            others.add(ticket(fresh, false));
        }
        others.removeIf(Generated::webcam);
        for (String head : List.of("intent", "product", "urgency")) {
            double was = accuracy(start, others, head);
            double is = accuracy(out, others, head);
            System.out.printf(
                    "other tickets (%d): %s accuracy %.1f%% -> %.1f%%%n",
                    others.size(), head, 100 * was, 100 * is);
            assertTrue(was >= 0.85, head + ": the start model knows the rest: " + was);
            assertTrue(is >= was - 0.03, head + ": kept " + is + " against " + was);
        }

        JsonNode retraining =
                JSON.readTree(out.resolve("model.json").toFile())
                        .get("provenance")
                        .get(Retraining.FIELD);
        assertEquals(ModelFingerprint.of(start), retraining.at("/parent/fingerprint").asText());
        assertEquals("jdbc:sqlite:" + db, retraining.get("database").asText());
        assertEquals(150, retraining.at("/corrections/tickets").asInt());
        assertEquals(45, retraining.at("/corrections/heldBack").asInt());
        assertTrue(printed.contains("held-back corrections (45)"), printed);
        assertTrue(printed.contains("product"), printed);

        // the same seed gives the same model, bit for bit
        Path again = dir.resolve("again");
        retrain(again);
        assertArrayEquals(
                Files.readAllBytes(out.resolve("model.params")),
                Files.readAllBytes(again.resolve("model.params")));
    }
}
