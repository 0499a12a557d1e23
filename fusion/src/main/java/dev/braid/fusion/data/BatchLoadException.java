package dev.braid.fusion.data;

/**
 * Preparing a batch failed on a worker thread. Thrown on the consuming thread; the message names
 * the epoch and batch, then the cause's message (which names the manifest line and file).
 */
public final class BatchLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public BatchLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
