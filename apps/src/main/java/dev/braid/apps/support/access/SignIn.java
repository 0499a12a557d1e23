package dev.braid.apps.support.access;

import dev.braid.apps.support.store.AgentStore;
import dev.braid.apps.support.store.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs agents in and finds who holds a token. A name that gets {@link
 * AccessSettings#maxFailedSignIns()} wrong passwords in a row is locked for {@link
 * AccessSettings#lockout()}: every attempt in that time fails, the right password too, so guessing
 * goes no faster than the lock allows. Tokens are random 256-bit strings; the database keeps only
 * their SHA-256.
 */
public final class SignIn {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Names whose wrong passwords are remembered at most. */
    static final int MAX_NAMES = 10_000;

    /**
     * A bcrypt hash of no password anyone has, checked for unknown names so that they take as long
     * to refuse as a wrong password.
     */
    private static final String NOBODY = new Passwords(Passwords.COST).hash(token().toCharArray());

    private final AgentStore agents;
    private final AccessSettings settings;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant lockedUntil) {}

    /** A new sign-in: the token to present, and its session. */
    public record Granted(String token, Session session) {}

    /** Why a sign-in was refused. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean locked;

        Refused(String message, boolean locked) {
            super(message);
            this.locked = locked;
        }

        /** Whether the name is locked (429) rather than the password wrong (401). */
        public boolean locked() {
            return locked;
        }
    }

    public SignIn(AgentStore agents, AccessSettings settings, Clock clock) {
        this.agents = agents;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Checks a name and password and starts a session.
     *
     * @throws Refused if the name is locked, unknown, or the password wrong (one message for the
     *     last two, so the answer does not tell which names exist)
     */
    public Granted signIn(String name, char[] password) {
        Instant now = clock.instant();
        Failures before = failures.get(name);
        if (before != null && before.lockedUntil() != null && now.isBefore(before.lockedUntil())) {
            throw new Refused(
                    "too many wrong passwords for this name; try again after "
                            + before.lockedUntil(),
                    true);
        }
        Optional<String> hash = agents.passwordHash(name);
        boolean right = Passwords.matches(hash.orElse(NOBODY), password) && hash.isPresent();
        if (!right) {
            if (failures.size() > MAX_NAMES) {
                // many names tried: forget those that are not locked rather than grow without end
                failures.values().removeIf(f -> f.lockedUntil() == null);
            }
            Failures after =
                    failures.compute(
                            name,
                            (n, f) -> {
                                int count =
                                        (f == null || f.lockedUntil() != null) ? 1 : f.count() + 1;
                                return new Failures(
                                        count,
                                        count >= settings.maxFailedSignIns()
                                                ? now.plus(settings.lockout())
                                                : null);
                            });
            throw new Refused(
                    after.lockedUntil() != null
                            ? "wrong name or password; the name is now locked until "
                                    + after.lockedUntil()
                            : "wrong name or password",
                    after.lockedUntil() != null);
        }
        failures.remove(name);
        String token = token();
        Session session = new Session(name, token(), now.plus(settings.sessionLife()));
        agents.startSession(sha256(token), session, now);
        return new Granted(token, session);
    }

    /** The session a token belongs to, while it lasts. */
    public Optional<Session> session(String token) {
        return agents.session(sha256(token), clock.instant());
    }

    /** Ends the session of a token. */
    public void signOut(String token) {
        agents.endSession(sha256(token));
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
