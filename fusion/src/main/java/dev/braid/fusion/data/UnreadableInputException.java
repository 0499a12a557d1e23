package dev.braid.fusion.data;

import dev.braid.fusion.Modality;
import java.util.Locale;

/**
 * One input of a request could not be decoded: bytes that are no image, a WAV file cut short, a
 * clip without samples. It names the modality, so a server can tell its client which part of the
 * request was bad. The message reads {@code image: <reason>}.
 */
public final class UnreadableInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Modality modality;
    private final String reason;

    public UnreadableInputException(Modality modality, String reason, Throwable cause) {
        super(modality.name().toLowerCase(Locale.ROOT) + ": " + reason, cause);
        this.modality = modality;
        this.reason = reason;
    }

    /** The input that failed. */
    public Modality modality() {
        return modality;
    }

    /** Why, without the modality's name. */
    public String reason() {
        return reason;
    }
}
