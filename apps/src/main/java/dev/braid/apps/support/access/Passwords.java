package dev.braid.apps.support.access;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Agents' passwords as bcrypt hashes (Bouncy Castle): salted, and slow on purpose, so a copied
 * database does not give the passwords away quickly. The cost is stored inside each hash.
 */
public final class Passwords {

    /** 2^12 rounds: about a quarter of a second on one core of the development machine. */
    public static final int COST = 12;

    /** The shortest password accepted. */
    public static final int MIN_LENGTH = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int cost;

    /** Hashes with {@code cost} (4..31); tests use a low one to stay fast. */
    public Passwords(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("cost (" + cost + ") must be in 4..31");
        }
        this.cost = cost;
    }

    /**
     * The bcrypt hash of a new password.
     *
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_LENGTH}
     */
    public String hash(char[] password) {
        if (password.length < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "password ("
                            + password.length
                            + " characters) must have at least "
                            + MIN_LENGTH);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password, salt, cost);
    }

    /** Whether {@code password} is the one {@code hash} was made from. */
    public static boolean matches(String hash, char[] password) {
        return OpenBSDBCrypt.checkPassword(hash, password);
    }
}
