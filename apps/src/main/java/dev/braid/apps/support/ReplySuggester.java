package dev.braid.apps.support;

import java.util.function.Consumer;

/**
 * A {@link TicketRouter} that can also write the reply with a generation head, piece by piece. The
 * server streams the pieces to the page ({@link ReplyStream}); a router whose model has no
 * generation head answers with its template reply, in one piece.
 */
public interface ReplySuggester {

    /** Whether replies are generated (true) or templates filled with the labels (false). */
    boolean generates();

    /**
     * Routes {@code ticket} and suggests its reply, telling {@code pieces} each new piece of text
     * as soon as it is chosen; the pieces joined are the reply of the answer.
     *
     * @throws dev.braid.fusion.data.UnreadableInputException if a part cannot be decoded
     */
    RoutedTicket suggest(Ticket ticket, DecodingSettings settings, Consumer<String> pieces);
}
