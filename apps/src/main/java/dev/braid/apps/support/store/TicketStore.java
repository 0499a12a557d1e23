package dev.braid.apps.support.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.support.RoutedTicket;
import dev.braid.apps.support.Ticket;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Answered tickets and agents' corrections. Every method is one transaction; safe from many threads
 * (each call takes its own pooled connection). Failures become {@link StorageException}.
 */
public final class TicketStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Double>>> PROBABILITIES =
            new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    static final String COLUMNS =
            "id, received_at, text, image IS NOT NULL AS image_kept, audio IS NOT NULL AS"
                    + " audio_kept, had_image, had_audio, language, inputs, intent,"
                    + " intent_probability, product, product_probability, urgency,"
                    + " urgency_probability, probabilities, reply, model";

    private final Jdbi jdbi;

    public TicketStore(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Stores an answered ticket: its inputs, the routing with probabilities, the reply. */
    public void save(String id, Instant at, Ticket ticket, RoutedTicket routed, String model) {
        Map<String, Map<String, Double>> probabilities = new LinkedHashMap<>();
        probabilities.put("intent", routed.intent().probabilities());
        probabilities.put("product", routed.product().probabilities());
        probabilities.put("urgency", routed.urgency().probabilities());
        run(
                "store ticket " + id,
                () ->
                        jdbi.useHandle(
                                h ->
                                        h.createUpdate(
                                                        "INSERT INTO tickets (id, received_at,"
                                                                + " text, image, audio, had_image,"
                                                                + " had_audio, language, inputs,"
                                                                + " intent, intent_probability,"
                                                                + " product, product_probability,"
                                                                + " urgency, urgency_probability,"
                                                                + " probabilities, reply, model)"
                                                                + " VALUES (:id, :at, :text,"
                                                                + " :image, :audio, :hadImage,"
                                                                + " :hadAudio, :language, :inputs,"
                                                                + " :intent, :intentP, :product,"
                                                                + " :productP, :urgency, :urgencyP,"
                                                                + " :probabilities, :reply, :model)")
                                                .bind("id", id)
                                                .bind("at", at.toEpochMilli())
                                                .bind("text", ticket.text())
                                                .bind("image", ticket.image())
                                                .bind("audio", ticket.audio())
                                                .bind("hadImage", ticket.image() != null)
                                                .bind("hadAudio", ticket.audio() != null)
                                                .bind("language", routed.language())
                                                .bind("inputs", json(routed.inputs()))
                                                .bind("intent", routed.intent().label())
                                                .bind("intentP", routed.intent().probability())
                                                .bind("product", routed.product().label())
                                                .bind("productP", routed.product().probability())
                                                .bind("urgency", routed.urgency().label())
                                                .bind("urgencyP", routed.urgency().probability())
                                                .bind("probabilities", json(probabilities))
                                                .bind("reply", routed.reply())
                                                .bind("model", model)
                                                .execute()));
    }

    /** A page of tickets, newest first, each with its newest correction. */
    public List<StoredTicket> newest(int offset, int limit) {
        return call(
                "list tickets",
                () ->
                        jdbi.withHandle(
                                h -> {
                                    List<StoredTicket> page =
                                            h.createQuery(
                                                            "SELECT "
                                                                    + COLUMNS
                                                                    + " FROM tickets ORDER BY"
                                                                    + " received_at DESC, id DESC"
                                                                    + " LIMIT :limit OFFSET"
                                                                    + " :offset")
                                                    .bind("limit", limit)
                                                    .bind("offset", offset)
                                                    .map((rs, ctx) -> ticket(rs))
                                                    .list();
                                    List<StoredTicket> out = new ArrayList<>();
                                    for (StoredTicket t : page) {
                                        out.add(t.withCorrection(latest(h, t.id())));
                                    }
                                    return out;
                                }));
    }

    /** How many tickets are stored. */
    public long count() {
        return call(
                "count tickets",
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery("SELECT COUNT(*) FROM tickets")
                                                .mapTo(Long.class)
                                                .one()));
    }

    /** One ticket with its newest correction. */
    public Optional<StoredTicket> find(String id) {
        return call(
                "read ticket " + id,
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT "
                                                                + COLUMNS
                                                                + " FROM tickets WHERE id = :id")
                                                .bind("id", id)
                                                .map((rs, ctx) -> ticket(rs))
                                                .findOne()
                                                .map(t -> t.withCorrection(latest(h, id)))));
    }

    /** A ticket's photo bytes, while kept. */
    public Optional<byte[]> photo(String id) {
        return media(id, "image");
    }

    /** A ticket's voice note bytes, while kept. */
    public Optional<byte[]> voice(String id) {
        return media(id, "audio");
    }

    private Optional<byte[]> media(String id, String column) {
        return call(
                "read the " + column + " of ticket " + id,
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT "
                                                                + column
                                                                + " FROM tickets WHERE id = :id AND "
                                                                + column
                                                                + " IS NOT NULL")
                                                .bind("id", id)
                                                .mapTo(byte[].class)
                                                .findOne()));
    }

    /** Stores a correction. */
    public void correct(String id, Correction c) {
        run(
                "store a correction of ticket " + c.ticketId(),
                () ->
                        jdbi.useHandle(
                                h ->
                                        h.createUpdate(
                                                        "INSERT INTO corrections (id, ticket_id,"
                                                                + " agent, corrected_at, intent,"
                                                                + " product, urgency, reply,"
                                                                + " reply_edited) VALUES (:id,"
                                                                + " :ticket, :agent, :at, :intent,"
                                                                + " :product, :urgency, :reply,"
                                                                + " :edited)")
                                                .bind("id", id)
                                                .bind("ticket", c.ticketId())
                                                .bind("agent", c.agent())
                                                .bind("at", c.at().toEpochMilli())
                                                .bind("intent", c.intent())
                                                .bind("product", c.product())
                                                .bind("urgency", c.urgency())
                                                .bind("reply", c.reply())
                                                .bind("edited", c.replyEdited())
                                                .execute()));
    }

    /** Every correction of a ticket, oldest first. */
    public List<Correction> corrections(String id) {
        return call(
                "read the corrections of ticket " + id,
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT * FROM corrections WHERE ticket_id"
                                                                + " = :id ORDER BY corrected_at, id")
                                                .bind("id", id)
                                                .map((rs, ctx) -> correction(rs))
                                                .list()));
    }

    /**
     * Deletes the photo and voice-note bytes of tickets received before {@code cutoff}; their text,
     * routing, reply and corrections stay.
     *
     * @return how many tickets lost their media
     */
    public int expireMedia(Instant cutoff) {
        return call(
                "expire media",
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createUpdate(
                                                        "UPDATE tickets SET image = NULL, audio ="
                                                                + " NULL WHERE received_at < :cutoff"
                                                                + " AND (image IS NOT NULL OR audio"
                                                                + " IS NOT NULL)")
                                                .bind("cutoff", cutoff.toEpochMilli())
                                                .execute()));
    }

    static Correction latest(org.jdbi.v3.core.Handle h, String id) {
        return h.createQuery(
                        "SELECT * FROM corrections WHERE ticket_id = :id"
                                + " ORDER BY corrected_at DESC, id DESC LIMIT 1")
                .bind("id", id)
                .map((rs, ctx) -> correction(rs))
                .findOne()
                .orElse(null);
    }

    static StoredTicket ticket(ResultSet rs) throws SQLException {
        Map<String, Map<String, Double>> p = parse(rs.getString("probabilities"), PROBABILITIES);
        return new StoredTicket(
                rs.getString("id"),
                Instant.ofEpochMilli(rs.getLong("received_at")),
                rs.getString("text"),
                media(rs.getBoolean("had_image"), rs.getBoolean("image_kept")),
                media(rs.getBoolean("had_audio"), rs.getBoolean("audio_kept")),
                rs.getString("language"),
                parse(rs.getString("inputs"), STRINGS),
                new RoutedTicket.Decision(
                        rs.getString("intent"),
                        rs.getDouble("intent_probability"),
                        p.get("intent")),
                new RoutedTicket.Decision(
                        rs.getString("product"),
                        rs.getDouble("product_probability"),
                        p.get("product")),
                new RoutedTicket.Decision(
                        rs.getString("urgency"),
                        rs.getDouble("urgency_probability"),
                        p.get("urgency")),
                rs.getString("reply"),
                rs.getString("model"),
                null);
    }

    private static StoredTicket.Media media(boolean had, boolean kept) {
        return !had
                ? StoredTicket.Media.NONE
                : kept ? StoredTicket.Media.KEPT : StoredTicket.Media.EXPIRED;
    }

    static Correction correction(ResultSet rs) throws SQLException {
        return new Correction(
                rs.getString("ticket_id"),
                rs.getString("agent"),
                Instant.ofEpochMilli(rs.getLong("corrected_at")),
                rs.getString("intent"),
                rs.getString("product"),
                rs.getString("urgency"),
                rs.getString("reply"),
                rs.getBoolean("reply_edited"));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored column is not the JSON it was written as", e);
        }
    }

    static void run(String what, Runnable action) {
        call(
                what,
                () -> {
                    action.run();
                    return null;
                });
    }

    static <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (JdbiException e) {
            throw new StorageException("could not " + what + ": " + rootMessage(e), e);
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
