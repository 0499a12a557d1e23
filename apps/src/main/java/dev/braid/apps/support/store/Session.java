package dev.braid.apps.support.store;

import java.time.Instant;

/**
 * A signed-in agent, found by the SHA-256 of the token the agent holds.
 *
 * @param agent the agent's name
 * @param csrf the token the page's forms must echo (a cookie alone does not change anything)
 * @param expiresAt when the session ends
 */
public record Session(String agent, String csrf, Instant expiresAt) {}
