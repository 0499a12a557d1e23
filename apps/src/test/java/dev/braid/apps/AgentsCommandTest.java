package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.support.access.Passwords;
import dev.braid.apps.support.store.AgentStore;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StoreSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code braid agents add NAME} stores a bcrypt hash, never the password; mistakes name the flag.
 */
class AgentsCommandTest {

    @TempDir Path dir;

    private record Outcome(int code, String out, String err) {}

    private Outcome braid(String stdin, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Braid.commandLine();
        cli.setErr(new PrintWriter(err, true));
        PrintStream original = System.out;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new Outcome(
                    cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
            System.setIn(originalIn);
        }
    }

    @Test
    void addStoresABcryptHashThatTheRightPasswordMatches() {
        String db = "jdbc:sqlite:" + dir.resolve("desk.db");
        Outcome added =
                braid(
                        "a long passphrase\n",
                        "agents",
                        "add",
                        "carol",
                        "--password-stdin",
                        "--db",
                        db);
        assertEquals(0, added.code(), added.err());
        assertTrue(added.out().startsWith("Agent carol added to " + db), added.out());
        try (Database database = Database.open(StoreSettings.sqlite(dir.resolve("desk.db")))) {
            String hash = new AgentStore(database).passwordHash("carol").orElseThrow();
            assertTrue(hash.startsWith("$2b$12$"), hash);
            assertTrue(Passwords.matches(hash, "a long passphrase".toCharArray()));
            assertTrue(!Passwords.matches(hash, "a long passphrasf".toCharArray()));
        }
        Outcome listed = braid("", "agents", "list", "--db", db);
        assertEquals("carol" + System.lineSeparator(), listed.out());

        Outcome again =
                braid(
                        "another passphrase\n",
                        "agents",
                        "add",
                        "carol",
                        "--password-stdin",
                        "--db",
                        db);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("name (carol) is taken"), again.err());
        Outcome shortPassword =
                braid("short\n", "agents", "add", "dave", "--password-stdin", "--db", db);
        assertEquals(2, shortPassword.code());
        assertTrue(shortPassword.err().contains("must have at least 10"), shortPassword.err());
        Outcome badName =
                braid(
                        "a long passphrase\n",
                        "agents",
                        "add",
                        "no spaces",
                        "--password-stdin",
                        "--db",
                        db);
        assertTrue(badName.err().contains("NAME (no spaces) must be"), badName.err());
    }
}
