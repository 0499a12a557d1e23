package dev.braid.apps;

import dev.braid.apps.support.access.Passwords;
import dev.braid.apps.support.store.AgentStore;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.StoreSettings;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code braid agents add NAME}, {@code braid agents list}: who may sign in to the desk. */
@Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = {
            "Manage the support desk's agents: 'add NAME' asks for a password (or reads one line"
                    + " from standard input with --password-stdin) and stores its bcrypt hash;"
                    + " 'list' names them."
        })
final class AgentsCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "add or list")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "The agent's name (for add).")
    String name;

    @Option(
            names = "--db",
            description =
                    "The desk database, as for serve (default: jdbc:sqlite:runs/support/desk.db).")
    String db;

    @Option(names = "--db-user", description = "The database user (PostgreSQL).")
    String dbUser;

    @Option(
            names = "--password-stdin",
            description = "Read the password from the first line of standard input (for scripts).")
    boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        StoreSettings store =
                DeskOptions.store(
                        db,
                        dbUser,
                        System.getenv("BRAID_DB_PASSWORD"),
                        (int) StoreSettings.KEEP_MEDIA.toDays());
        switch (action) {
            case "add" -> {
                if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new IllegalArgumentException(
                            "NAME (" + name + ") must be 1 to 64 letters, digits, '.', '_' or '-'");
                }
                char[] password = password();
                try (Database database = Database.open(store)) {
                    String hash = new Passwords(Passwords.COST).hash(password);
                    new AgentStore(database).add(name, hash, Instant.now());
                } finally {
                    Arrays.fill(password, '\0');
                }
                System.out.printf("Agent %s added to %s.%n", name, store.safeUrl());
            }
            case "list" -> {
                try (Database database = Database.open(store)) {
                    new AgentStore(database).names().forEach(System.out::println);
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "action (" + action + ") must be add or list");
        }
        return 0;
    }

    private char[] password() throws IOException {
        if (passwordStdin) {
            String line =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                            .readLine();
            if (line == null) {
                throw new IllegalArgumentException("--password-stdin: standard input is empty");
            }
            return line.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException(
                    "no terminal to ask for the password; give --password-stdin");
        }
        char[] first = console.readPassword("Password for %s: ", name);
        char[] again = console.readPassword("Again: ");
        if (first == null || !Arrays.equals(first, again)) {
            throw new IllegalArgumentException("the two passwords differ");
        }
        return first;
    }
}
