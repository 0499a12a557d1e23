package dev.braid.apps.support.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Agents (name and password hash) and their sessions, in the desk database. */
public final class AgentStore {

    private final Jdbi jdbi;

    public AgentStore(Database database) {
        this.jdbi = database.jdbi();
    }

    /**
     * Adds an agent.
     *
     * @throws IllegalArgumentException if an agent of that name exists
     */
    public void add(String name, String passwordHash, Instant at) {
        if (passwordHash(name).isPresent()) {
            throw new IllegalArgumentException("name (" + name + ") is taken: an agent has it");
        }
        TicketStore.run(
                "add agent " + name,
                () ->
                        jdbi.useHandle(
                                h ->
                                        h.createUpdate(
                                                        "INSERT INTO agents (name, password_hash,"
                                                                + " created_at) VALUES (:name,"
                                                                + " :hash, :at)")
                                                .bind("name", name)
                                                .bind("hash", passwordHash)
                                                .bind("at", at.toEpochMilli())
                                                .execute()));
    }

    /** The agents' names, sorted. */
    public List<String> names() {
        return TicketStore.call(
                "list agents",
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery("SELECT name FROM agents ORDER BY name")
                                                .mapTo(String.class)
                                                .list()));
    }

    /** An agent's password hash, if the agent exists. */
    public Optional<String> passwordHash(String name) {
        return TicketStore.call(
                "read agent " + name,
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT password_hash FROM agents WHERE"
                                                                + " name = :name")
                                                .bind("name", name)
                                                .mapTo(String.class)
                                                .findOne()));
    }

    /** Starts a session for {@code agent}, found later by {@code tokenHash}. */
    public void startSession(String tokenHash, Session session, Instant at) {
        TicketStore.run(
                "start a session",
                () ->
                        jdbi.useHandle(
                                h ->
                                        h.createUpdate(
                                                        "INSERT INTO sessions (token_hash, agent,"
                                                                + " csrf, created_at, expires_at)"
                                                                + " VALUES (:hash, :agent, :csrf,"
                                                                + " :at, :expires)")
                                                .bind("hash", tokenHash)
                                                .bind("agent", session.agent())
                                                .bind("csrf", session.csrf())
                                                .bind("at", at.toEpochMilli())
                                                .bind("expires", session.expiresAt().toEpochMilli())
                                                .execute()));
    }

    /** The session of a token's hash, unless it ended before {@code now}. */
    public Optional<Session> session(String tokenHash, Instant now) {
        return TicketStore.call(
                "read a session",
                () ->
                        jdbi.withHandle(
                                h ->
                                        h.createQuery(
                                                        "SELECT agent, csrf, expires_at FROM"
                                                                + " sessions WHERE token_hash ="
                                                                + " :hash AND expires_at > :now")
                                                .bind("hash", tokenHash)
                                                .bind("now", now.toEpochMilli())
                                                .map(
                                                        (rs, ctx) ->
                                                                new Session(
                                                                        rs.getString("agent"),
                                                                        rs.getString("csrf"),
                                                                        Instant.ofEpochMilli(
                                                                                rs.getLong(
                                                                                        "expires_at"))))
                                                .findOne()));
    }

    /** Ends a session (signing out). */
    public void endSession(String tokenHash) {
        TicketStore.run(
                "end a session",
                () ->
                        jdbi.useHandle(
                                h ->
                                        h.createUpdate(
                                                        "DELETE FROM sessions WHERE token_hash ="
                                                                + " :hash")
                                                .bind("hash", tokenHash)
                                                .execute()));
    }
}
