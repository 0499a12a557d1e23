package dev.braid.apps.support.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.support.RoutedTicket;
import dev.braid.apps.support.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the ticket store does, on whichever database a subclass gives: the same tests run on an
 * SQLite file and on PostgreSQL.
 */
abstract class TicketStoreContract {

    static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
    static final byte[] PHOTO = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    static final byte[] VOICE = {'R', 'I', 'F', 'F', 9, 8, 7};

    /** A fresh, empty database for each test. */
    abstract StoreSettings newStore() throws Exception;

    StoreSettings settings;
    Database database;
    TicketStore store;

    @BeforeEach
    void open() throws Exception {
        settings = newStore();
        database = Database.open(settings);
        store = new TicketStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static RoutedTicket routed(String intent, String reply) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put(intent, 0.75);
        p.put("other", 0.25);
        RoutedTicket.Decision d = new RoutedTicket.Decision(intent, 0.75, p);
        return new RoutedTicket(
                d,
                new RoutedTicket.Decision("headphones", 0.5, Map.of("headphones", 0.5)),
                new RoutedTicket.Decision("high", 0.9, Map.of("high", 0.9)),
                reply,
                "en",
                List.of("text", "image", "audio"),
                12.5);
    }

    @Test
    void storesEverythingAnsweredAndListsNewestFirstInPages() {
        for (int i = 1; i <= 5; i++) {
            store.save(
                    "t" + i,
                    T0.plusSeconds(i),
                    new Ticket("message " + i, i == 5 ? PHOTO : null, i == 5 ? VOICE : null),
                    routed("refund", "reply " + i),
                    "fp" + i);
        }
        assertEquals(5, store.count());
        assertEquals(List.of("t5", "t4"), ids(store.newest(0, 2)));
        assertEquals(List.of("t3", "t2"), ids(store.newest(2, 2)));
        assertEquals(List.of("t1"), ids(store.newest(4, 2)));

        StoredTicket newest = store.find("t5").orElseThrow();
        assertEquals("message 5", newest.text());
        assertEquals(T0.plusSeconds(5), newest.receivedAt());
        assertEquals(StoredTicket.Media.KEPT, newest.photo());
        assertEquals(StoredTicket.Media.KEPT, newest.voice());
        assertEquals("refund", newest.intent().label());
        assertEquals(0.75, newest.intent().probability());
        assertEquals(Map.of("refund", 0.75, "other", 0.25), newest.intent().probabilities());
        assertEquals("high", newest.urgency().label());
        assertEquals("reply 5", newest.reply());
        assertEquals("fp5", newest.model());
        assertEquals(List.of("text", "image", "audio"), newest.inputs());
        assertNull(newest.correction());
        assertArrayEquals(PHOTO, store.photo("t5").orElseThrow());
        assertArrayEquals(VOICE, store.voice("t5").orElseThrow());
        assertEquals(StoredTicket.Media.NONE, store.find("t1").orElseThrow().photo());
        assertTrue(store.photo("t1").isEmpty());
        assertTrue(store.find("nope").isEmpty());
    }

    @Test
    void correctionsAreStoredWithWhoAndWhenAndTheNewestIsListed() {
        store.save("t1", T0, new Ticket("broken", null, null), routed("refund", "r"), "fp");
        store.correct(
                "c1",
                new Correction(
                        "t1",
                        "alice",
                        T0.plusSeconds(60),
                        "damaged_item",
                        "headphones",
                        "high",
                        "r",
                        false));
        store.correct(
                "c2",
                new Correction(
                        "t1",
                        "bob",
                        T0.plusSeconds(120),
                        "damaged_item",
                        "headphones",
                        "normal",
                        "edited reply",
                        true));
        List<Correction> all = store.corrections("t1");
        assertEquals(List.of("alice", "bob"), all.stream().map(Correction::agent).toList());
        assertEquals(T0.plusSeconds(60), all.get(0).at());
        assertFalse(all.get(0).replyEdited());
        Correction newest = store.newest(0, 10).get(0).correction();
        assertEquals("bob", newest.agent());
        assertEquals("normal", newest.urgency());
        assertEquals("edited reply", newest.reply());
        assertTrue(newest.replyEdited());
    }

    @Test
    void photosAndVoiceNotesPastRetentionAreDeletedTheRestStays() {
        store.save("old", T0, new Ticket("old one", PHOTO, VOICE), routed("refund", "r"), "fp");
        store.save(
                "new",
                T0.plus(Duration.ofDays(40)),
                new Ticket("new one", PHOTO, VOICE),
                routed("refund", "r"),
                "fp");
        assertEquals(1, store.expireMedia(T0.plus(Duration.ofDays(10))));
        StoredTicket old = store.find("old").orElseThrow();
        assertEquals(StoredTicket.Media.EXPIRED, old.photo());
        assertEquals(StoredTicket.Media.EXPIRED, old.voice());
        assertEquals("old one", old.text());
        assertTrue(store.photo("old").isEmpty());
        assertTrue(store.voice("old").isEmpty());
        assertArrayEquals(PHOTO, store.photo("new").orElseThrow());
        assertEquals(0, store.expireMedia(T0.plus(Duration.ofDays(10))), "nothing left to expire");
    }

    @Test
    void concurrentWritesAreAllStored() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                int n = i;
                writes.add(
                        pool.submit(
                                () ->
                                        store.save(
                                                "c" + n,
                                                T0.plusMillis(n),
                                                new Ticket("m" + n, PHOTO, VOICE),
                                                routed("refund", "r" + n),
                                                "fp")));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(160, store.count());
        assertEquals("r159", store.newest(0, 1).get(0).reply());
    }

    @Test
    void reopeningTheDatabaseLosesNothing() {
        store.save("kept", T0, new Ticket("keep me", PHOTO, null), routed("refund", "r"), "fp");
        database.close();
        database = Database.open(settings); // migrations are applied once, the rows stay
        store = new TicketStore(database);
        assertEquals("keep me", store.find("kept").orElseThrow().text());
        assertArrayEquals(PHOTO, store.photo("kept").orElseThrow());
    }

    @Test
    void anAgentsPasswordHashAndSessionsAreKept() {
        AgentStore agents = new AgentStore(database);
        agents.add("alice", "$2b$04$hash", T0);
        assertEquals("$2b$04$hash", agents.passwordHash("alice").orElseThrow());
        assertEquals(List.of("alice"), agents.names());
        agents.startSession("h1", new Session("alice", "csrf1", T0.plusSeconds(60)), T0);
        assertEquals("csrf1", agents.session("h1", T0.plusSeconds(30)).orElseThrow().csrf());
        assertTrue(agents.session("h1", T0.plusSeconds(61)).isEmpty(), "ended sessions are gone");
        agents.endSession("h1");
        assertTrue(agents.session("h1", T0.plusSeconds(30)).isEmpty());
    }

    @Test
    void anUnreachableDatabaseIsAClearErrorNamingIt() {
        database.close();
        StorageException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        StorageException.class,
                        () ->
                                store.save(
                                        "x",
                                        T0,
                                        new Ticket("x", null, null),
                                        routed("refund", "r"),
                                        "fp"));
        assertTrue(e.getMessage().startsWith("could not store ticket x: "), e.getMessage());
        database = Database.open(settings); // for close()
    }

    private static List<String> ids(List<StoredTicket> tickets) {
        return tickets.stream().map(StoredTicket::id).toList();
    }
}
