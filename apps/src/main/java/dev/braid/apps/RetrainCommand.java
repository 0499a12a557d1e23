package dev.braid.apps;

import dev.braid.apps.support.retrain.RetrainSettings;
import dev.braid.apps.support.retrain.RetrainTable;
import dev.braid.apps.support.retrain.Retraining;
import dev.braid.apps.support.store.CorrectedTickets;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StorageException;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.ConsoleProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid retrain --from-db URL --model DIR --out DIR}: the serving model fine-tuned on the
 * desk's corrections mixed with its original training data, with accuracy before and after.
 */
@Command(
        name = "retrain",
        mixinStandardHelpOptions = true,
        description = {
            "Fine-tune a customer-service model on the tickets its agents corrected (the corrected"
                    + " intent, product and urgency win over the model's), mixed with the data it"
                    + " was trained on so it does not forget; a seeded share of the corrections is"
                    + " held back. Prints accuracy per task on the original test split and on the"
                    + " held-back corrections, before and after, and saves a model directory that"
                    + " braid serve, POST /api/model, predict and eval read like any other."
        })
final class RetrainCommand implements Callable<Integer> {

    @Option(
            names = "--from-db",
            required = true,
            description = "The desk database: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB.")
    String db;

    @Option(names = "--db-user", description = "The database user (PostgreSQL).")
    String dbUser;

    @Option(names = "--model", required = true, description = "The model directory to retrain.")
    Path model;

    @Option(
            names = "--out",
            required = true,
            description = "The new model directory (must not exist, or be empty).")
    Path out;

    @Option(
            names = "--replay-weight",
            description =
                    "The share of each batch drawn from the original training data, in [0, 1)"
                            + " (default: 0.5).")
    double replayWeight = RetrainSettings.DEFAULTS.replayWeight();

    @Option(names = "--epochs", description = "Fine-tuning epochs (default: 6).")
    int epochs = RetrainSettings.DEFAULTS.epochs();

    @Option(
            names = "--hold-back",
            description = "The share of corrected tickets held back to evaluate on (default: 0.2).")
    double holdBack = RetrainSettings.DEFAULTS.holdBack();

    @Option(names = "--seed", description = "The seed of the hold-back, the mix and training (42).")
    long seed = RetrainSettings.DEFAULTS.seed();

    @Override
    public Integer call() throws IOException {
        RetrainSettings settings = new RetrainSettings(replayWeight, epochs, holdBack, seed);
        Path parent = InputFiles.directory("--model", model);
        ModelDirectory.read(parent); // not a Braid model: said before the database is opened
        checkOut(parent);
        StoreSettings store = store();
        List<CorrectedTickets.Corrected> tickets;
        try (Database database = Database.open(store)) {
            tickets = new CorrectedTickets(database).all();
        } catch (StorageException e) {
            throw new IllegalArgumentException(
                    "--from-db " + store.safeUrl() + ": " + rootMessage(e), e);
        }
        if (tickets.isEmpty()) {
            throw new IllegalArgumentException(
                    "--from-db "
                            + store.safeUrl()
                            + ": no corrected tickets; agents correct tickets on the desk (POST"
                            + " /api/tickets/ID/corrections) before a retraining");
        }
        Retraining.Result result =
                new Retraining(parent, out, settings, System.out)
                        .run(tickets, store.safeUrl(), List.of(ConsoleProgress.forConsole()));
        System.out.print(RetrainTable.of(result));
        System.out.printf("Saved %s%n", out);
        return 0;
    }

    /** The database settings; an SQLite file must exist (opening would create an empty one). */
    private StoreSettings store() {
        if (!db.startsWith("jdbc:sqlite:") && !db.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "--from-db "
                            + db
                            + ": give jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
        }
        StoreSettings store =
                new StoreSettings(
                        db, dbUser, System.getenv("BRAID_DB_PASSWORD"), StoreSettings.KEEP_MEDIA);
        if (store.sqlite()) {
            Path file = Path.of(db.substring("jdbc:sqlite:".length()));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "--from-db " + db + ": " + file + " does not exist (the desk's database)");
            }
        }
        return store;
    }

    private void checkOut(Path parent) throws IOException {
        if (Files.exists(out)) {
            if (Files.isSameFile(out, parent)) {
                throw new IllegalArgumentException(
                        "--out " + out + " is the model directory itself: choose another");
            }
            boolean empty;
            try (Stream<Path> inside = Files.list(out)) {
                empty = inside.findAny().isEmpty();
            }
            if (!empty) {
                throw new IllegalArgumentException(
                        "--out " + out + " is not empty: choose a new directory");
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
