package dev.braid.apps.support.store;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.braid.apps.support.RoutedTicket;
import java.time.Instant;
import java.util.List;

/**
 * An answered ticket as the desk lists it; the photo and voice note themselves are fetched apart.
 *
 * @param id the ticket's id, as its answer gave it
 * @param receivedAt when it was answered
 * @param text the message, or null
 * @param photo whether it came with a photo, and whether the photo is still kept
 * @param voice the same for the voice note
 * @param language the reply's language
 * @param inputs the parts the model read
 * @param intent the model's department, with probabilities
 * @param product the model's product
 * @param urgency the model's urgency
 * @param reply the suggested reply
 * @param model the fingerprint of the model that answered
 * @param correction the newest agent correction, or null while there is none
 */
public record StoredTicket(
        String id,
        @JsonSerialize(using = ToStringSerializer.class) Instant receivedAt,
        String text,
        Media photo,
        Media voice,
        String language,
        List<String> inputs,
        RoutedTicket.Decision intent,
        RoutedTicket.Decision product,
        RoutedTicket.Decision urgency,
        String reply,
        String model,
        Correction correction) {

    /** Whether a ticket came with a photo or voice note, and whether its bytes are still kept. */
    public enum Media {
        NONE,
        KEPT,
        EXPIRED
    }

    StoredTicket withCorrection(Correction c) {
        return new StoredTicket(
                id,
                receivedAt,
                text,
                photo,
                voice,
                language,
                inputs,
                intent,
                product,
                urgency,
                reply,
                model,
                c);
    }
}
