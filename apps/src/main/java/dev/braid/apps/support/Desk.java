package dev.braid.apps.support;

import dev.braid.apps.support.access.AccessSettings;
import dev.braid.apps.support.access.RateLimiter;
import dev.braid.apps.support.access.SignIn;
import dev.braid.apps.support.store.AgentStore;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StorageException;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.apps.support.store.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support desk behind the server: the database of answered tickets and corrections, agents'
 * sign-in, the rate limit of ticket submission, and the sweep that deletes photos and voice notes
 * past their retention. A failed write does not fail the answer: it is logged and counted for
 * {@code /health}.
 */
public final class Desk implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Desk.class);

    /** How often media past retention are deleted (also once at start). */
    static final Duration SWEEP_EVERY = Duration.ofHours(1);

    private final Database database;
    private final TicketStore tickets;
    private final AgentStore agents;
    private final SignIn signIn;
    private final RateLimiter ticketRate;
    private final Clock clock;
    private final LongAdder stored = new LongAdder();
    private final LongAdder storageFailures = new LongAdder();
    private final AtomicReference<String> lastStorageError = new AtomicReference<>();
    private final ScheduledExecutorService sweeper;

    private Desk(Database database, AccessSettings access, Clock clock) {
        this.database = database;
        this.tickets = new TicketStore(database);
        this.agents = new AgentStore(database);
        this.signIn = new SignIn(agents, access, clock);
        this.ticketRate =
                new RateLimiter(access.ticketsPerSecond(), access.ticketBurst(), System::nanoTime);
        this.clock = clock;
        this.sweeper =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "braid-media-retention");
                            t.setDaemon(true);
                            return t;
                        });
        sweeper.scheduleWithFixedDelay(
                this::expireMedia, 0, SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Opens (and migrates) the database.
     *
     * @throws StorageException naming the database if it cannot be reached
     */
    public static Desk open(StoreSettings store, AccessSettings access, Clock clock) {
        return new Desk(Database.open(store), access, clock);
    }

    TicketStore tickets() {
        return tickets;
    }

    AgentStore agents() {
        return agents;
    }

    SignIn signIn() {
        return signIn;
    }

    RateLimiter ticketRate() {
        return ticketRate;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Stores an answered ticket under a new id.
     *
     * @return the id, and whether it was stored
     */
    Recorded record(Ticket ticket, RoutedTicket routed, String model) {
        String id = UUID.randomUUID().toString();
        try {
            tickets.save(id, clock.instant(), ticket, routed, model);
            stored.increment();
            return new Recorded(id, true);
        } catch (StorageException | IllegalStateException e) {
            storageFailures.increment();
            lastStorageError.set(e.getMessage());
            LOG.error("ticket {} answered but not stored: {}", id, e.getMessage());
            return new Recorded(id, false);
        }
    }

    /** A ticket's id and whether it reached the database. */
    record Recorded(String id, boolean stored) {}

    /** Deletes the media of tickets older than the retention; failures are counted. */
    void expireMedia() {
        try {
            int expired =
                    tickets.expireMedia(clock.instant().minus(database.settings().keepMedia()));
            if (expired > 0) {
                LOG.info(
                        "deleted the photos and voice notes of {} tickets past retention", expired);
            }
        } catch (StorageException | IllegalStateException e) {
            storageFailures.increment();
            lastStorageError.set(e.getMessage());
            LOG.error("media retention sweep failed: {}", e.getMessage());
        }
    }

    /** What {@code /health} says about storage. */
    Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("database", database.settings().safeUrl());
        health.put("stored", stored.sum());
        health.put("storageFailures", storageFailures.sum());
        String last = lastStorageError.get();
        if (last != null) {
            health.put("lastStorageError", last);
        }
        health.put("keepMediaDays", database.settings().keepMedia().toDays());
        return health;
    }

    /** The database, for tests that make it fail. */
    Database database() {
        return database;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        database.close();
    }
}
