package dev.braid.apps.support;

import java.util.List;
import java.util.Map;

/**
 * Routes a ticket: predicts its intent, product and urgency and suggests a reply. The server calls
 * it from many request threads at once, so implementations are thread-safe.
 */
public interface TicketRouter {

    /**
     * Routes one ticket.
     *
     * @throws dev.braid.fusion.data.UnreadableInputException if a part cannot be decoded
     */
    RoutedTicket route(Ticket ticket);

    /** The parts the router reads ({@code text}, {@code image}, {@code audio}). */
    List<String> reads();

    /** The classes each head ({@code intent}, {@code product}, {@code urgency}) can answer. */
    Map<String, List<String>> classes();

    /** The fingerprint of the model answering, stored with every ticket. */
    String model();

    /** Counts for {@code /health}, by name; none by default. */
    default Map<String, Object> counts() {
        return Map.of();
    }
}
