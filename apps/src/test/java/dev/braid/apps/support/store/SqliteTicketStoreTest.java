package dev.braid.apps.support.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ticket store on an SQLite file, the default: nothing to install. */
class SqliteTicketStoreTest extends TicketStoreContract {

    @TempDir Path dir;

    @Override
    StoreSettings newStore() {
        return StoreSettings.sqlite(dir.resolve("nested/folder/desk.db"));
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsAClearErrorNamingIt() {
        StoreSettings bad =
                new StoreSettings(
                        "jdbc:postgresql://127.0.0.1:1/none?password=secret",
                        null,
                        null,
                        StoreSettings.KEEP_MEDIA);
        StorageException e = assertThrows(StorageException.class, () -> Database.open(bad));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "cannot open the desk database"
                                        + " jdbc:postgresql://127.0.0.1:1/none?password=***: "),
                e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "the password is not shown");
    }
}
