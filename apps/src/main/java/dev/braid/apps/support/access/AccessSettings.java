package dev.braid.apps.support.access;

import java.time.Duration;

/**
 * The desk's limits on who may do what how often.
 *
 * @param ticketsPerSecond tickets one client (one address) may submit a second, on average
 * @param ticketBurst tickets one client may submit at once before the average applies
 * @param maxFailedSignIns wrong passwords in a row after which an agent's name is locked
 * @param lockout how long a locked name refuses every sign-in, the right password too
 * @param sessionLife how long a sign-in (page session or API token) lasts
 */
public record AccessSettings(
        double ticketsPerSecond,
        int ticketBurst,
        int maxFailedSignIns,
        Duration lockout,
        Duration sessionLife) {

    public AccessSettings {
        if (!(ticketsPerSecond > 0)) {
            throw new IllegalArgumentException(
                    "ticketsPerSecond (" + ticketsPerSecond + ") must be positive");
        }
        if (ticketBurst < 1) {
            throw new IllegalArgumentException(
                    "ticketBurst (" + ticketBurst + ") must be positive");
        }
        if (maxFailedSignIns < 1) {
            throw new IllegalArgumentException(
                    "maxFailedSignIns (" + maxFailedSignIns + ") must be positive");
        }
        if (lockout.isNegative() || sessionLife.isNegative() || sessionLife.isZero()) {
            throw new IllegalArgumentException(
                    "lockout ("
                            + lockout
                            + ") and sessionLife ("
                            + sessionLife
                            + ") must not be negative, sessionLife not zero");
        }
    }

    /**
     * 5 tickets a second per client with bursts of 20; 5 wrong passwords lock a name for 5 minutes;
     * a sign-in lasts 12 hours.
     */
    public static AccessSettings defaults() {
        return new AccessSettings(5, 20, 5, Duration.ofMinutes(5), Duration.ofHours(12));
    }

    public AccessSettings withTicketRate(double perSecond, int burst) {
        return new AccessSettings(perSecond, burst, maxFailedSignIns, lockout, sessionLife);
    }

    public AccessSettings withLockout(int failures, Duration lock) {
        return new AccessSettings(ticketsPerSecond, ticketBurst, failures, lock, sessionLife);
    }
}
