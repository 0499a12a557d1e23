package dev.braid.apps.support.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * The tickets agents corrected, as training data: each with its newest correction (the labels that
 * win over the model's) and its photo and voice-note bytes while the store keeps them.
 */
public final class CorrectedTickets {

    /**
     * One corrected ticket.
     *
     * @param ticket the ticket as the model answered it, its newest correction attached
     * @param photo the photo's bytes, or null if it had none or retention deleted it ({@link
     *     StoredTicket#photo()} says which)
     * @param voice the voice note's bytes, likewise
     */
    public record Corrected(StoredTicket ticket, byte[] photo, byte[] voice) {
        public Corrected {
            Objects.requireNonNull(ticket, "ticket");
        }

        /** The labels the agent settled on. */
        public Correction correction() {
            return ticket.correction();
        }
    }

    private final Jdbi jdbi;

    public CorrectedTickets(Database database) {
        this.jdbi = database.jdbi();
    }

    /**
     * Every ticket with at least one correction, in ticket-id order (the same order on every read
     * of the same rows, on SQLite and PostgreSQL).
     *
     * @throws StorageException if the database cannot be read
     */
    public List<Corrected> all() {
        return TicketStore.call(
                "read the corrected tickets",
                () ->
                        jdbi.withHandle(
                                h -> {
                                    List<Corrected> rows =
                                            h.createQuery(
                                                            "SELECT "
                                                                    + TicketStore.COLUMNS
                                                                    + ", image, audio FROM tickets"
                                                                    + " WHERE id IN (SELECT"
                                                                    + " ticket_id FROM"
                                                                    + " corrections) ORDER BY id")
                                                    .map(
                                                            (rs, ctx) ->
                                                                    new Corrected(
                                                                            TicketStore.ticket(rs),
                                                                            rs.getBytes("image"),
                                                                            rs.getBytes("audio")))
                                                    .list();
                                    List<Corrected> out = new ArrayList<>();
                                    for (Corrected row : rows) {
                                        Correction newest =
                                                TicketStore.latest(h, row.ticket().id());
                                        out.add(
                                                new Corrected(
                                                        row.ticket().withCorrection(newest),
                                                        row.photo(),
                                                        row.voice()));
                                    }
                                    return out;
                                }));
    }
}
