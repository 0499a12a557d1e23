package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.Braid;
import dev.braid.apps.support.store.Correction;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.apps.support.store.TicketStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code braid tune-replies} with a simulated agent. A small text-only reply model is trained by
 * {@code braid replies} (300 steps on 400 tickets whose message states the product and urgency) on
 * reference replies written under an old rule that promised every customer the normal response
 * time. It answers the other 432 such tickets on a desk database; the agent accepts a suggestion
 * that names the right product, promises the right response time and copies the order number, and
 * otherwise puts the product and the promise right, as an agent edits (the reference reply when the
 * suggestion is too garbled to edit). Tuning on those edits must make the greedy replies to the
 * held-out tickets state the product and urgency more often than before, by a margin the untuned
 * model does not reach. The command's mistakes are one line and exit code 2.
 */
class TuneRepliesTest {

    @TempDir static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path model;
    private static String url;

    /** Each urgency's closing sentence in the reference replies, and the normal one's. */
    private static final Map<String, String> PROMISES =
            Map.of(
                    "No rush: we will reply within 3 business days.",
                    "We will reply within one business day.",
                    "This is marked urgent: we will call you within 2 hours.",
                    "We will reply within one business day.",
                    "不着急的话，我们将在3个工作日内回复。",
                    "我们将在1个工作日内回复。",
                    "已标记为紧急，我们将在2小时内致电您。",
                    "我们将在1个工作日内回复。");

    /**
     * The shipped tickets' messages, their reference replies written under an old rule that
     * promised every customer the normal response time: the reply model trained on them never
     * promises another.
     */
    private static Path oldRule(Path data) throws Exception {
        Path old = dir.resolve("old-rule");
        Files.createDirectories(old);
        Files.copy(data.resolve(SupportModel.REPLIES), old.resolve(SupportModel.REPLIES));
        // the messages alone, of the tickets whose message states the product and the urgency (or
        // none, which is normal): a text-only model has what the agent's corrections ask for
        List<String> rows = new java.util.ArrayList<>();
        java.util.Set<String> stated = new java.util.HashSet<>();
        for (String line : Files.readAllLines(data.resolve("meta.jsonl"))) {
            JsonNode meta = JSON.readTree(line);
            boolean product = meta.path("product_in").toString().contains("\"text\"");
            boolean urgency =
                    meta.path("urgency_in").isEmpty()
                            || meta.path("urgency_in").toString().contains("\"text\"");
            if (product && urgency) {
                stated.add(meta.path("id").asText());
            }
        }
        for (String line : Files.readAllLines(data.resolve("manifest.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode row =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(line);
            if (stated.contains(row.path("id").asText())) {
                row.remove(List.of("image", "audio"));
                rows.add(JSON.writeValueAsString(row));
            }
        }
        Files.write(old.resolve("manifest.jsonl"), rows);
        List<String> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(data.resolve(ReferenceReplies.FILE_NAME))) {
            for (Map.Entry<String, String> p : PROMISES.entrySet()) {
                line = line.replace(p.getKey(), p.getValue());
            }
            lines.add(line);
        }
        Files.write(old.resolve(ReferenceReplies.FILE_NAME), lines);
        return old;
    }

    @BeforeAll
    static void deskWithCorrections() throws Exception {
        Path data = TinySupportModel.dataDir();
        Path base = dir.resolve("base");
        run(
                0,
                "replies",
                "--config",
                "support-text-only",
                "--set",
                "data=[{path: '" + oldRule(data) + "', weight: 1.0}]",
                "--train-limit",
                "400",
                "--steps",
                "300",
                "--decoder-width",
                "32",
                "--decoder-layers",
                "1",
                "--test-limit",
                "4",
                "--timing-tickets",
                "1",
                "--out",
                base.toString());
        model = base.resolve("model");

        Map<String, ReferenceReplies.Reference> references = ReferenceReplies.read(data);
        List<ManifestEntry> all = Manifest.read(dir.resolve("old-rule")).entries(Split.TRAIN);
        List<ManifestEntry> tickets = all.subList(400, all.size()); // unseen in training
        StoreSettings store = StoreSettings.sqlite(dir.resolve("desk.db"));
        url = store.url();
        try (FusionTicketRouter router =
                        FusionTicketRouter.load(model, model.resolve(SupportModel.REPLIES));
                Database database = Database.open(store)) {
            TicketStore desk = new TicketStore(database);
            Instant at = Instant.parse("2025-01-01T00:00:00Z");
            for (ManifestEntry e : tickets) {
                Ticket ticket = new Ticket(e.inputs().get(Modality.TEXT), null, null);
                RoutedTicket routed =
                        router.suggest(ticket, DecodingSettings.defaults(), piece -> {});
                desk.save(e.id(), at, ticket, routed, router.model());
                ReferenceReplies.Reference r = references.get(e.id());
                String edited = agent(routed.reply(), r);
                desk.correct(
                        UUID.randomUUID().toString(),
                        new Correction(
                                e.id(),
                                "simulated",
                                at.plusSeconds(60),
                                r.intent(),
                                r.product(),
                                r.urgency(),
                                edited,
                                !edited.equals(routed.reply())));
                at = at.plusSeconds(120);
            }
        }
    }

    /** The closing sentence that promises each urgency's response time, per language. */
    private static final Map<String, Map<String, String>> CLOSINGS =
            Map.of(
                    "en",
                    Map.of(
                            "low", "No rush: we will reply within 3 business days.",
                            "normal", "We will reply within one business day.",
                            "high", "This is marked urgent: we will call you within 2 hours."),
                    "zh",
                    Map.of(
                            "low", "不着急的话，我们将在3个工作日内回复。",
                            "normal", "我们将在1个工作日内回复。",
                            "high", "已标记为紧急，我们将在2小时内致电您。"));

    /**
     * What the simulated agent sends: the suggestion when it names the right product, promises the
     * right response time and copies the order number; else the suggestion with the wrong product
     * name and closing promise put right, as an agent edits; the reference reply when the
     * suggestion is too garbled to edit.
     */
    static String agent(String suggestion, ReferenceReplies.Reference r) {
        String lang = r.language();
        boolean right =
                ReferenceReplies.productRight(suggestion, lang, r.product())
                        && ReferenceReplies.urgencyRight(suggestion, lang, r.urgency())
                        && (r.order() == null
                                || ReferenceReplies.orderRight(suggestion, r.order()));
        if (right) {
            return suggestion;
        }
        String edited = suggestion;
        for (String closing : CLOSINGS.get(lang).values()) {
            edited = edited.replace(closing, CLOSINGS.get(lang).get(r.urgency()));
        }
        for (String product :
                List.of("headphones", "phone", "computer", "camera", "printer", "tv")) {
            String name = ReferenceReplies.productName(lang, product);
            String pattern =
                    lang.equals("zh")
                            ? java.util.regex.Pattern.quote(name)
                            : "\\b" + java.util.regex.Pattern.quote(name) + "\\b";
            edited = edited.replaceAll(pattern, ReferenceReplies.productName(lang, r.product()));
        }
        if (r.order() != null) {
            edited = edited.replaceAll("(?<!\\d)\\d{4,9}(?!\\d)", r.order());
        }
        boolean fixed =
                ReferenceReplies.productRight(edited, lang, r.product())
                        && ReferenceReplies.urgencyRight(edited, lang, r.urgency())
                        && (r.order() == null || ReferenceReplies.orderRight(edited, r.order()));
        return fixed ? edited : r.reply();
    }

    /** Runs one command; returns its standard error after checking its exit code. */
    private static String run(int code, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Braid.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int actual = cli.execute(args);
        assertEquals(code, actual, "braid " + String.join(" ", args) + ": " + err);
        return err.toString();
    }

    @Test
    void tuningOnTheAgentsEditsStatesTheFactsMoreOften() throws Exception {
        Path tuned = dir.resolve("tuned");
        run(
                0,
                "tune-replies",
                "--from-db",
                url,
                "--model",
                model.toString(),
                "--out",
                tuned.toString(),
                "--steps",
                "200",
                "--rate",
                "0.002",
                "--beta",
                "0.1",
                "--holdout",
                "0.3",
                "--seed",
                "7");
        JsonNode tuning =
                JSON.readTree(tuned.resolve("model.json").toFile())
                        .path("provenance")
                        .path("preferenceTuning");
        JsonNode before = tuning.path("before");
        JsonNode after = tuning.path("after");
        int tickets = before.path("tickets").asInt();
        assertTrue(tickets >= 100, "held-out tickets: " + tickets);
        int factsBefore = before.path("productRight").asInt() + before.path("urgencyRight").asInt();
        int factsAfter = after.path("productRight").asInt() + after.path("urgencyRight").asInt();
        assertTrue(
                factsAfter >= factsBefore + 0.08 * 2 * tickets,
                "product + urgency right on "
                        + tickets
                        + " held-out tickets: "
                        + before
                        + " -> "
                        + after);
        assertEquals(
                0.6931, tuning.path("firstLoss").asDouble(), 1e-3, "policy = reference at first");
        assertFalse(
                java.util.Arrays.equals(
                        Files.readAllBytes(model.resolve("model.params")),
                        Files.readAllBytes(tuned.resolve("model.params"))),
                "the tuned reply head, part of the model, is saved in its weights");
        try (FusionTicketRouter router =
                FusionTicketRouter.load(tuned, tuned.resolve(SupportModel.REPLIES))) {
            assertTrue(router.generates());
        }
    }

    @Test
    void mistakesAreOneLineNamingTheFlag() throws Exception {
        String m = model.toString();
        String o = dir.resolve("never").toString();
        assertEquals(
                "braid tune-replies: --from-db mysql://x: give jdbc:sqlite:FILE or"
                        + " jdbc:postgresql://HOST:PORT/DB"
                        + System.lineSeparator(),
                run(2, "tune-replies", "--from-db", "mysql://x", "--model", m, "--out", o));
        Path missing = dir.resolve("missing.db");
        assertEquals(
                "braid tune-replies: --from-db jdbc:sqlite:"
                        + missing
                        + ": no such file "
                        + missing
                        + System.lineSeparator(),
                run(
                        2,
                        "tune-replies",
                        "--from-db",
                        "jdbc:sqlite:" + missing,
                        "--model",
                        m,
                        "--out",
                        o));
        assertEquals(
                "braid tune-replies: --beta (0.0) must be positive and finite, e.g. 0.1"
                        + System.lineSeparator(),
                run(2, "tune-replies", "--from-db", url, "--model", m, "--out", o, "--beta", "0"));

        Path empty = dir.resolve("empty.db");
        Database.open(StoreSettings.sqlite(empty)).close();
        String noPairs =
                run(
                        2,
                        "tune-replies",
                        "--from-db",
                        "jdbc:sqlite:" + empty,
                        "--model",
                        m,
                        "--out",
                        o);
        assertEquals(
                "braid tune-replies: --from-db jdbc:sqlite:"
                        + empty
                        + ": no preference pairs: 0 corrected tickets, 0 with an edited reply, 0"
                        + " held out; agents edit suggested replies on the desk first"
                        + System.lineSeparator(),
                noPairs);

        Path headless = TinySupportModel.model(); // routes tickets, writes no reply
        assertEquals(
                "braid tune-replies: --model "
                        + headless
                        + ": the model has no reply head (no GENERATION head, no reply.json);"
                        + " train one with braid replies"
                        + System.lineSeparator(),
                run(
                        2,
                        "tune-replies",
                        "--from-db",
                        url,
                        "--model",
                        headless.toString(),
                        "--out",
                        o));
        assertTrue(Files.notExists(Path.of(o)), "nothing written");
    }
}
