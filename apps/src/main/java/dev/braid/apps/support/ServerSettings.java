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
 * @param stopTimeout how long a shutdown waits for requests in flight
 */
public record ServerSettings(
        String host, int port, long maxPartBytes, int maxTextChars, Duration stopTimeout) {

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
    }

    /** Port 8080 on this machine only, 5 MiB a part, 5000 characters a message. */
    public static ServerSettings defaults() {
        return new ServerSettings(
                "127.0.0.1", 8080, 5L * 1024 * 1024, 5000, Duration.ofSeconds(10));
    }

    /** The largest request: one full part of each kind plus framing. */
    public long maxRequestBytes() {
        return 3 * maxPartBytes + FRAMING_BYTES;
    }

    public ServerSettings withPort(int p) {
        return new ServerSettings(host, p, maxPartBytes, maxTextChars, stopTimeout);
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(h, port, maxPartBytes, maxTextChars, stopTimeout);
    }

    public ServerSettings withMaxPartBytes(long bytes) {
        return new ServerSettings(host, port, bytes, maxTextChars, stopTimeout);
    }

    public ServerSettings withStopTimeout(Duration timeout) {
        return new ServerSettings(host, port, maxPartBytes, maxTextChars, timeout);
    }
}
