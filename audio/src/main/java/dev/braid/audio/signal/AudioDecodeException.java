package dev.braid.audio.signal;

import java.io.IOException;

/**
 * Thrown when audio bytes cannot be turned into samples. The message names the source (a path or
 * the name the caller gave) and the reason.
 */
public final class AudioDecodeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * Creates an exception for {@code source} with {@code reason}.
     *
     * @param source the path or caller-given name of the audio
     * @param reason what was wrong, in words a user can act on
     */
    public AudioDecodeException(String source, String reason) {
        this(source, reason, null);
    }

    /**
     * Creates an exception for {@code source} with {@code reason} and an underlying cause.
     *
     * @param source the path or caller-given name of the audio
     * @param reason what was wrong
     * @param cause the underlying failure
     */
    public AudioDecodeException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.reason = reason;
    }

    /** What was wrong, without the source's name. */
    public String reason() {
        return reason;
    }
}
