package dev.braid.apps.support.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the desk keeps its tickets and for how long it keeps their photos and voice notes.
 *
 * @param url a JDBC URL: {@code jdbc:sqlite:FILE} (the default, nothing to install) or {@code
 *     jdbc:postgresql://HOST:PORT/DB}
 * @param user the database user, or null when the URL carries it (or SQLite, which has none)
 * @param password the user's password, or null
 * @param keepMedia how long a ticket's photo and voice note are kept; after that their bytes are
 *     deleted and the text, routing, reply and corrections stay
 */
public record StoreSettings(String url, String user, String password, Duration keepMedia) {

    /** The default retention of photos and voice notes. */
    public static final Duration KEEP_MEDIA = Duration.ofDays(30);

    public StoreSettings {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException(
                    "url ("
                            + url
                            + ") must be a JDBC URL: jdbc:sqlite:FILE or"
                            + " jdbc:postgresql://HOST:PORT/DB");
        }
        if (keepMedia.isNegative() || keepMedia.isZero()) {
            throw new IllegalArgumentException("keepMedia (" + keepMedia + ") must be positive");
        }
    }

    /** An SQLite file, photos and voice notes kept {@link #KEEP_MEDIA}. */
    public static StoreSettings sqlite(Path file) {
        return new StoreSettings("jdbc:sqlite:" + file, null, null, KEEP_MEDIA);
    }

    public StoreSettings withKeepMedia(Duration keep) {
        return new StoreSettings(url, user, password, keep);
    }

    /** Whether this is an SQLite database. */
    public boolean sqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The URL without a password it may carry, for messages. */
    public String safeUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
