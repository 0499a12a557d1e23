package dev.braid.apps.support.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.Braid;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.apps.support.RoutedTicket;
import dev.braid.apps.support.Ticket;
import dev.braid.apps.support.TinySupportModel;
import dev.braid.apps.support.store.Correction;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.apps.support.store.TicketStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.predict.FusionPredictor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid retrain} on the tri-modal customer-service model: corrected tickets with photos and
 * voice notes (some deleted by retention) train from the database alone, nothing is written outside
 * {@code --out}; and each mistake a user makes ends in one line and exit code 2.
 */
class RetrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @TempDir static Path dir;

    private static Path model;
    private static Path db;

    /** The exit code, standard output and standard error of one command. */
    private record Outcome(int code, String out, String err) {}

    private static Outcome braid(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var cli = Braid.commandLine();
            cli.setErr(new PrintWriter(err, true));
            return new Outcome(
                    cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    private static void fails(String line, String... args) {
        Outcome outcome = braid(args);
        String command = "braid " + String.join(" ", args);
        assertEquals(line + System.lineSeparator(), outcome.err(), command);
        assertEquals(2, outcome.code(), command);
    }

    @BeforeAll
    static void deskWithCorrectedTickets() throws IOException {
        model = TinySupportModel.model();
        db = dir.resolve("desk").resolve("desk.db");
        List<ManifestEntry> test =
                Manifest.read(ShippedDatasetTest.repoRoot().resolve("data/support"))
                        .entries(Split.TEST);
        List<ManifestEntry> complete =
                test.stream().filter(e -> e.inputs().size() == 3).limit(12).toList();
        try (Database database = Database.open(StoreSettings.sqlite(db))) {
            TicketStore store = new TicketStore(database);
            for (int i = 0; i < complete.size(); i++) {
                ManifestEntry e = complete.get(i);
                String id = String.format("t%02d", i);
                // the first four arrived long ago: retention deletes their photo and voice note
                Instant at = i < 4 ? T0 : T0.plusSeconds(86_400 * 60);
                store.save(
                        id,
                        at,
                        new Ticket(
                                e.inputs().get(Modality.TEXT),
                                Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE))),
                                Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO)))),
                        routed(),
                        "0123456789abcdef");
                store.correct(
                        "c" + id,
                        new Correction(
                                id,
                                "alice",
                                at.plusSeconds(60),
                                label(e, "intent"),
                                label(e, "product"),
                                label(e, "urgency"),
                                "reply",
                                false));
            }
            assertEquals(4, store.expireMedia(T0.plusSeconds(86_400)));
        }
    }

    private static String label(ManifestEntry e, String head) {
        return ((Label.ClassLabel) e.labels().get(head)).name();
    }

    private static RoutedTicket routed() {
        RoutedTicket.Decision d = new RoutedTicket.Decision("x", 0.5, Map.of("x", 0.5));
        return new RoutedTicket(d, d, d, "reply", "en", List.of("text", "image", "audio"), 1);
    }

    private static Set<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new TreeSet<>(walk.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    void retrainsFromTheDatabaseAloneAndWritesOnlyIntoOut() throws IOException {
        Path data = ShippedDatasetTest.repoRoot().resolve("data/support");
        Set<Path> dataBefore = files(data);
        Set<Path> deskBefore = files(db.getParent());
        Path out = dir.resolve("retrained");

        Outcome outcome =
                braid(
                        "retrain",
                        "--from-db",
                        "jdbc:sqlite:" + db,
                        "--model",
                        model.toString(),
                        "--out",
                        out.toString(),
                        "--epochs",
                        "1",
                        "--hold-back",
                        "0.25");

        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(
                outcome.out().contains("12 corrected tickets")
                        && outcome.out().contains("9 to train on, 3 held back")
                        && outcome.out().contains("4 without the photo or voice note"),
                outcome.out());
        assertTrue(outcome.out().contains("held-back corrections (3)"), outcome.out());
        try (FusionPredictor retrained = FusionPredictor.load(out)) {
            assertEquals(3, retrained.schema().heads().size());
        }
        // the list of rows names tickets and labels, never the customers' words
        List<String> rows = Files.readAllLines(out.resolve(CorrectionSet.FILE));
        assertEquals(12, rows.size());
        for (String row : rows) {
            JsonNode r = JSON.readTree(row);
            assertFalse(r.has("text"), row);
        }
        long textOnly =
                rows.stream().filter(r -> r.contains("[\"TEXT\"]")).count(); // media deleted
        assertEquals(4, textOnly);
        assertEquals(dataBefore, files(data), "nothing written into the training data");
        Set<Path> deskAfter = files(db.getParent());
        deskAfter.removeIf(p -> p.getFileName().toString().startsWith("desk.db"));
        deskBefore.removeIf(p -> p.getFileName().toString().startsWith("desk.db"));
        assertEquals(deskBefore, deskAfter, "nothing beside the database but its own files");
        assertFalse(Files.exists(out.resolveSibling(".feature-cache")));
        JsonNode provenance = JSON.readTree(out.resolve("model.json").toFile()).get("provenance");
        assertEquals(4, provenance.at("/retraining/corrections/textOnly").asInt());
        assertTrue(provenance.has("run"), "a retrained model can be retrained again");
    }

    @Test
    void mistakesEndInOneLine() throws IOException {
        String m = model.toString();
        String url = "jdbc:sqlite:" + db;
        String out = dir.resolve("never").toString();
        fails(
                "braid retrain: --replay-weight 1.0: must be in [0, 1) (the share of each batch"
                        + " drawn from the model's original training data; 0: corrections only)",
                "retrain",
                "--from-db",
                url,
                "--model",
                m,
                "--out",
                out,
                "--replay-weight",
                "1");
        fails(
                "braid retrain: --hold-back -0.1: must be in [0, 1) (the share of corrected"
                        + " tickets kept out of training to evaluate on)",
                "retrain",
                "--from-db",
                url,
                "--model",
                m,
                "--out",
                out,
                "--hold-back",
                "-0.1");
        Path notAModel = Files.createDirectories(dir.resolve("not-a-model"));
        fails(
                "braid retrain: "
                        + notAModel.resolve("model.json")
                        + " is missing: is "
                        + notAModel
                        + " a Braid model directory (made by braid train)?",
                "retrain",
                "--from-db",
                url,
                "--model",
                notAModel.toString(),
                "--out",
                out);
        Path missing = dir.resolve("no-such.db");
        fails(
                "braid retrain: --from-db jdbc:sqlite:"
                        + missing
                        + ": "
                        + missing
                        + " does not exist (the desk's database)",
                "retrain",
                "--from-db",
                "jdbc:sqlite:" + missing,
                "--model",
                m,
                "--out",
                out);
        assertFalse(Files.exists(missing), "a mistyped SQLite file is not created");
        Path empty = dir.resolve("empty.db");
        Database.open(StoreSettings.sqlite(empty)).close();
        fails(
                "braid retrain: --from-db jdbc:sqlite:"
                        + empty
                        + ": no corrected tickets; agents correct tickets on the desk (POST"
                        + " /api/tickets/ID/corrections) before a retraining",
                "retrain",
                "--from-db",
                "jdbc:sqlite:" + empty,
                "--model",
                m,
                "--out",
                out);
        Outcome unreachable =
                braid(
                        "retrain",
                        "--from-db",
                        "jdbc:postgresql://127.0.0.1:1/desk",
                        "--model",
                        m,
                        "--out",
                        out);
        assertEquals(2, unreachable.code());
        assertTrue(
                unreachable
                                .err()
                                .startsWith(
                                        "braid retrain: --from-db"
                                                + " jdbc:postgresql://127.0.0.1:1/desk: ")
                        && unreachable.err().strip().lines().count() == 1,
                unreachable.err());
        fails(
                "braid retrain: --out " + model + " is the model directory itself: choose another",
                "retrain",
                "--from-db",
                url,
                "--model",
                m,
                "--out",
                m);
        assertFalse(Files.exists(Path.of(out)), "no failed command leaves its --out behind");
    }
}
