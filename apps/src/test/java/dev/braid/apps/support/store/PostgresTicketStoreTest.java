package dev.braid.apps.support.store;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same store tests on PostgreSQL, given by {@code BRAID_TEST_POSTGRES_URL} (a JDBC URL with
 * user and password). {@code .ci/run} starts Debian's PostgreSQL on a loopback port and sets it;
 * under CI ({@code CI} or {@code BRAID_REQUIRE_POSTGRES} set) a missing URL fails instead of
 * skipping. Each test gets a schema of its own.
 */
class PostgresTicketStoreTest extends TicketStoreContract {

    static final String URL = System.getenv("BRAID_TEST_POSTGRES_URL");

    @BeforeAll
    static void needsPostgres() {
        boolean required =
                System.getenv("BRAID_REQUIRE_POSTGRES") != null || System.getenv("CI") != null;
        if (URL == null && required) {
            fail(
                    "under CI the PostgreSQL test must run: set BRAID_TEST_POSTGRES_URL (.ci/run does)");
        }
        assumeTrue(URL != null, "no BRAID_TEST_POSTGRES_URL: PostgreSQL test skipped");
    }

    @Override
    StoreSettings newStore() throws Exception {
        String schema = "braid_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(URL);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new StoreSettings(url, null, null, StoreSettings.KEEP_MEDIA);
    }
}
