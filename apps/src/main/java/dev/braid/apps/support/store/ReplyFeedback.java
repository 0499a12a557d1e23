package dev.braid.apps.support.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What the agents made of the suggested replies: every ticket an agent corrected, with its inputs
 * (the photo and voice note while kept), the reply the model suggested and the newest correction.
 * Read by {@code braid tune-replies}; one transaction.
 */
public final class ReplyFeedback {

    /**
     * A corrected ticket.
     *
     * @param id the ticket's id
     * @param receivedAt when it was answered
     * @param text the message, or null
     * @param image the photo's bytes, or null (none, or expired)
     * @param audio the voice note's bytes, or null
     * @param language the reply's language
     * @param suggested the reply the model suggested
     * @param model the fingerprint of the model that suggested it
     * @param correction the newest correction
     */
    public record Corrected(
            String id,
            Instant receivedAt,
            String text,
            byte[] image,
            byte[] audio,
            String language,
            String suggested,
            String model,
            Correction correction) {}

    private final Jdbi jdbi;

    public ReplyFeedback(Database database) {
        this.jdbi = database.jdbi();
    }

    /** Every corrected ticket, oldest first. */
    public List<Corrected> corrected() {
        return TicketStore.call(
                "read the corrected tickets",
                () ->
                        jdbi.inTransaction(
                                h -> {
                                    Map<String, Correction> newest = new LinkedHashMap<>();
                                    h.createQuery(
                                                    "SELECT * FROM corrections ORDER BY ticket_id,"
                                                            + " corrected_at, id")
                                            .map((rs, ctx) -> TicketStore.correction(rs))
                                            .forEach(c -> newest.put(c.ticketId(), c));
                                    List<Corrected> out = new ArrayList<>();
                                    h.createQuery(
                                                    "SELECT id, received_at, text, image, audio,"
                                                            + " language, reply, model FROM"
                                                            + " tickets WHERE id IN (SELECT"
                                                            + " ticket_id FROM corrections)"
                                                            + " ORDER BY received_at, id")
                                            .map(
                                                    (rs, ctx) ->
                                                            new Corrected(
                                                                    rs.getString("id"),
                                                                    Instant.ofEpochMilli(
                                                                            rs.getLong(
                                                                                    "received_at")),
                                                                    rs.getString("text"),
                                                                    rs.getBytes("image"),
                                                                    rs.getBytes("audio"),
                                                                    rs.getString("language"),
                                                                    rs.getString("reply"),
                                                                    rs.getString("model"),
                                                                    newest.get(rs.getString("id"))))
                                            .forEach(out::add);
                                    return out;
                                }));
    }
}
