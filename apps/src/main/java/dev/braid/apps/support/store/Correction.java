package dev.braid.apps.support.store;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * What an agent made of a ticket: the routing they settled on and the reply they sent.
 *
 * @param ticketId the ticket corrected
 * @param agent who corrected it
 * @param at when
 * @param intent the department, as corrected (or confirmed)
 * @param product the product
 * @param urgency the urgency
 * @param reply the reply sent: the suggested one accepted, or the agent's edit
 * @param replyEdited whether the reply differs from the suggested one
 */
public record Correction(
        String ticketId,
        String agent,
        @JsonSerialize(using = ToStringSerializer.class) Instant at,
        String intent,
        String product,
        String urgency,
        String reply,
        boolean replyEdited) {}
