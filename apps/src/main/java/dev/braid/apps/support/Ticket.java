package dev.braid.apps.support;

import dev.braid.fusion.Modality;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer ticket as it arrives: a message, a photo, a voice note. Any of them may be absent
 * (null), but not all.
 *
 * @param text the message
 * @param image the photo's encoded bytes (PNG, JPEG, BMP, WebP)
 * @param audio the voice note, a WAV file's bytes
 */
public record Ticket(String text, byte[] image, byte[] audio) {

    public Ticket {
        if (text == null && image == null && audio == null) {
            throw new IllegalArgumentException("a ticket needs a text, an image or an audio part");
        }
    }

    /** The modalities the ticket carries, in the order text, image, audio. */
    public List<Modality> modalities() {
        List<Modality> present = new ArrayList<>();
        if (text != null) {
            present.add(Modality.TEXT);
        }
        if (image != null) {
            present.add(Modality.IMAGE);
        }
        if (audio != null) {
            present.add(Modality.AUDIO);
        }
        return present;
    }
}
