package dev.braid.apps;

import dev.braid.apps.support.access.AccessSettings;
import dev.braid.apps.support.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The desk's command-line options ({@code serve}, {@code agents}) as settings, errors naming the
 * flag.
 */
final class DeskOptions {

    /** Where the desk database is when {@code --db} is not given. */
    static final Path DEFAULT_DB = Path.of("runs", "support", "desk.db");

    private DeskOptions() {}

    static StoreSettings store(String db, String user, String password, int keepMediaDays) {
        if (keepMediaDays < 1) {
            throw new IllegalArgumentException(
                    "--keep-media-days " + keepMediaDays + ": must be at least 1");
        }
        String url = db != null ? db : "jdbc:sqlite:" + DEFAULT_DB;
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "--db " + db + ": give jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
        }
        return new StoreSettings(url, user, password, Duration.ofDays(keepMediaDays));
    }

    static AccessSettings access(double ticketRate, int ticketBurst) {
        if (!(ticketRate > 0)) {
            throw new IllegalArgumentException(
                    "--ticket-rate " + ticketRate + ": must be positive");
        }
        if (ticketBurst < 1) {
            throw new IllegalArgumentException(
                    "--ticket-burst " + ticketBurst + ": must be at least 1");
        }
        return AccessSettings.defaults().withTicketRate(ticketRate, ticketBurst);
    }
}
