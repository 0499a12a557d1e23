package dev.braid.apps.support.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: each holds up to {@code burst} tokens, refilled at {@code perSecond};
 * a request takes one or is refused. Thread-safe.
 */
public final class RateLimiter {

    /** Clients remembered at most; past that, full buckets are forgotten (they would be full). */
    static final int MAX_CLIENTS = 10_000;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public RateLimiter(double perSecond, int burst, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
    }

    /** Whether {@code client} may make a request now; if so, it is counted. */
    public boolean tryAcquire(String client) {
        long now = nanos.getAsLong();
        if (buckets.size() > MAX_CLIENTS) {
            buckets.values().removeIf(b -> refill(b, now) >= burst);
        }
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        synchronized (bucket) {
            if (refill(bucket, now) < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    /** Seconds until {@code client} has a token again (for Retry-After), at least 1. */
    public long retryAfterSeconds(String client) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            return 1;
        }
        synchronized (bucket) {
            double missing = 1 - refill(bucket, nanos.getAsLong());
            return Math.max(1, (long) Math.ceil(missing / perSecond));
        }
    }

    private double refill(Bucket b, long now) {
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * perSecond);
            b.at = now;
            return b.tokens;
        }
    }
}
