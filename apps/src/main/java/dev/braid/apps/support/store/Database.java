package dev.braid.apps.support.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * An open desk database: a connection pool, its schema migrated to the newest version by Flyway
 * (from {@code db/migration} on the class path), and JDBI over it for the stores.
 */
public final class Database implements AutoCloseable {

    /** How long a request waits for a connection before its write counts as failed. */
    static final long CONNECTION_TIMEOUT_MS = 2000;

    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private Database(StoreSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
    }

    /**
     * Opens the database and migrates its schema.
     *
     * @throws StorageException naming the URL (without password) and the reason if it cannot be
     *     reached or migrated
     */
    public static Database open(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setPoolName("braid-desk");
        if (settings.sqlite()) {
            createFolder(settings.url().substring("jdbc:sqlite:".length()));
            // one writer at a time is SQLite's rule: WAL lets readers go on, and a writer that
            // finds the file locked waits instead of failing. In WAL mode synchronous=NORMAL
            // syncs at checkpoints, not at every commit: a committed ticket survives the server
            // crashing, only the last commits may be lost if the machine loses power.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("foreign_keys", "true");
            config.setMaximumPoolSize(4);
        } else {
            config.setMaximumPoolSize(8);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw unreachable(settings, e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("blob", settings.sqlite() ? "BLOB" : "BYTEA"))
                    .load()
                    .migrate();
            return new Database(settings, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw unreachable(settings, e);
        }
    }

    private static StorageException unreachable(StoreSettings settings, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new StorageException(
                "cannot open the desk database "
                        + settings.safeUrl()
                        + ": "
                        + root.getMessage()
                        + " (check --db, --db-user and BRAID_DB_PASSWORD)",
                e);
    }

    private static void createFolder(String file) {
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + file, e);
        }
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** The settings it was opened with. */
    public StoreSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        pool.close();
    }
}
