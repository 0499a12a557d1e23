package dev.braid.apps.support;

import dev.braid.apps.support.access.AccessSettings;
import dev.braid.apps.support.access.Passwords;
import dev.braid.apps.support.store.StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/** Desks for the server tests: an SQLite file in a temporary folder, and agents to sign in as. */
final class TestDesk {

    /** An agent every test desk has. */
    static final String AGENT = "alice";

    static final String PASSWORD = "correct horse battery";

    /** No rate limit worth the name, for the tests that send many tickets. */
    static final AccessSettings UNLIMITED =
            AccessSettings.defaults().withTicketRate(1e6, 1_000_000);

    private TestDesk() {}

    /** A new database file in a new temporary folder. */
    static StoreSettings newStore() {
        try {
            Path dir = Files.createTempDirectory("braid-desk");
            dir.toFile().deleteOnExit();
            return StoreSettings.sqlite(dir.resolve("desk.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A desk on {@code store} with the agent {@link #AGENT} (added if missing). */
    static Desk open(StoreSettings store, AccessSettings access) {
        Desk desk = Desk.open(store, access, Clock.systemUTC());
        if (desk.agents().passwordHash(AGENT).isEmpty()) {
            // the lowest bcrypt cost keeps the tests fast; the cost is read back from the hash
            desk.agents().add(AGENT, new Passwords(4).hash(PASSWORD.toCharArray()), Instant.now());
        }
        return desk;
    }

    static Desk open() {
        return open(newStore(), UNLIMITED);
    }
}
