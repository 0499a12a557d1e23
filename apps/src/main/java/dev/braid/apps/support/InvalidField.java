package dev.braid.apps.support;

/**
 * A JSON request of the desk's API with a field that is missing or wrong; it becomes 400 with
 * {@code {"status": 400, "field": "intent", "error": "..."}}.
 */
public final class InvalidField extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidField(String field, String reason) {
        super(reason);
        this.field = field;
    }

    /** The response body. */
    public Body body() {
        return new Body(400, field, getMessage());
    }

    /** The JSON error body. */
    public record Body(int status, String field, String error) {}
}
