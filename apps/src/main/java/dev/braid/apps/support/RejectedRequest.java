package dev.braid.apps.support;

/**
 * A request the server refuses, with the HTTP status, the form part at fault (null when the request
 * as a whole is) and the reason. It becomes the JSON body {@code {"status": 400, "part": "image",
 * "error": "..."}}.
 */
public final class RejectedRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String part;

    public RejectedRequest(int status, String part, String reason) {
        super(reason);
        this.status = status;
        this.part = part;
    }

    public int status() {
        return status;
    }

    /** The part at fault ({@code text}, {@code image}, {@code audio}, ...), or null. */
    public String part() {
        return part;
    }

    /** The response body. */
    public Body body() {
        return new Body(status, part, getMessage());
    }

    /** The JSON error body. */
    public record Body(int status, String part, String error) {}
}
