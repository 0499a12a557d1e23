package dev.braid.vision.image;

/**
 * An image could not be read: the file is missing, empty, truncated or corrupt, is not an image, or
 * declares a size outside the configured limits.
 *
 * <p>The message always names the source (a file path, or the name given with the bytes) and the
 * reason, e.g. {@code "Cannot decode image /data/x.png: not a PNG, JPEG, BMP or WebP file"}.
 */
public final class ImageDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String reason;

    /**
     * Creates an exception for an image that could not be read.
     *
     * @param source the file path, or the name given with the bytes
     * @param reason what was wrong, in words the user can act on
     */
    public ImageDecodeException(String source, String reason) {
        this(source, reason, null);
    }

    /**
     * Creates an exception for an image that could not be read because of {@code cause}.
     *
     * @param source the file path, or the name given with the bytes
     * @param reason what was wrong, in words the user can act on
     * @param cause the underlying failure, or {@code null}
     */
    public ImageDecodeException(String source, String reason, Throwable cause) {
        super("Cannot decode image " + source + ": " + reason, cause);
        this.source = source;
        this.reason = reason;
    }

    /** The file path, or the name given with the bytes. */
    public String source() {
        return source;
    }

    /** Why the image could not be read, without the source. */
    public String reason() {
        return reason;
    }
}
