package dev.braid.apps.support;

import java.time.Duration;

/**
 * How the ticket server listens and what it accepts.
 *
 * @param host the address to bind; {@code 127.0.0.1} serves this machine only, {@code 0.0.0.0}
 *     every interface
 * @param port the port; 0 picks a free one
 * @param maxPartBytes the largest part (message, photo or voice note) accepted; a larger one gets
 *     413 naming it (a chunked body, whose length is unknown, is not read past the limit)
 * @param maxTextChars the longest message accepted, in characters
 * @param maxConcurrentPredictions requests predicted at once; more wait their turn, so a burst does
 *     not oversubscribe the cores
 * @param stopTimeout how long a shutdown waits for requests in flight
 */
public record ServerSettings(
        String host,
        int port,
        long maxPartBytes,
        int maxTextChars,
        int maxConcurrentPredictions,
        Duration stopTimeout) {

    /** Multipart framing (boundaries, part headers) allowed on top of three full parts. */
    static final long FRAMING_BYTES = 64 * 1024;

    public ServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port (" + port + ") must be in 0..65535");
        }
        if (maxPartBytes < 1024) {
            throw new IllegalArgumentException(
                    "maxPartBytes (" + maxPartBytes + ") must be at least 1024");
        }
        if (maxTextChars < 1) {
            throw new IllegalArgumentException(
                    "maxTextChars (" + maxTextChars + ") must be positive");
        }
        if (maxConcurrentPredictions < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrentPredictions (" + maxConcurrentPredictions + ") must be positive");
        }
    }

    /** Port 8080 on this machine only, 5 MiB a part, 5000 characters a message. */
    public static ServerSettings defaults() {
        return new ServerSettings(
                "127.0.0.1",
                8080,
                5L * 1024 * 1024,
                5000,
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                Duration.ofSeconds(10));
    }

    /** The largest request: one full part of each kind plus framing. */
    public long maxRequestBytes() {
        return 3 * maxPartBytes + FRAMING_BYTES;
    }

    public ServerSettings withPort(int p) {
        return new ServerSettings(
                host, p, maxPartBytes, maxTextChars, maxConcurrentPredictions, stopTimeout);
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(
                h, port, maxPartBytes, maxTextChars, maxConcurrentPredictions, stopTimeout);
    }

    public ServerSettings withMaxPartBytes(long bytes) {
        return new ServerSettings(
                host, port, bytes, maxTextChars, maxConcurrentPredictions, stopTimeout);
    }

    public ServerSettings withStopTimeout(Duration timeout) {
        return new ServerSettings(
                host, port, maxPartBytes, maxTextChars, maxConcurrentPredictions, timeout);
    }
}
