package dev.braid.apps.support.store;

/** The database could not be reached or refused a write; the message says which and why. */
public final class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
