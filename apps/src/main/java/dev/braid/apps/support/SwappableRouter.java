package dev.braid.apps.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A router whose model can be replaced while it serves. A swap is atomic: a ticket that started on
 * the old model finishes on it, every ticket after the swap goes to the new one, and the old one is
 * closed once its last ticket is answered. No ticket fails because of a swap.
 */
public final class SwappableRouter implements TicketRouter, ReplySuggester, AutoCloseable {

    /** A model in service, with the tickets it is answering. */
    private static final class Generation {
        final FusionTicketRouter router;
        final Path dir;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile boolean retired;

        Generation(FusionTicketRouter router, Path dir) {
            this.router = router;
            this.dir = dir;
        }

        /** Closes the model if it is retired and idle; safe to call more than once. */
        synchronized void closeIfDone() {
            if (retired && inFlight.get() == 0 && !closed) {
                closed = true;
                router.close();
            }
        }

        private boolean closed;
    }

    private final AtomicReference<Generation> current;

    public SwappableRouter(FusionTicketRouter first, Path dir) {
        this.current = new AtomicReference<>(new Generation(first, dir));
    }

    @Override
    public RoutedTicket route(Ticket ticket) {
        Generation g = enter();
        try {
            return g.router.route(ticket);
        } finally {
            leave(g);
        }
    }

    @Override
    public boolean generates() {
        return current.get().router.generates();
    }

    @Override
    public RoutedTicket suggest(
            Ticket ticket, DecodingSettings settings, java.util.function.Consumer<String> pieces) {
        Generation g = enter();
        try {
            return g.router.suggest(ticket, settings, pieces);
        } finally {
            leave(g);
        }
    }

    /** The generation in service, counted as busy until {@link #leave}. */
    private Generation enter() {
        while (true) {
            Generation g = current.get();
            g.inFlight.incrementAndGet();
            if (current.get() == g) {
                return g;
            }
            leave(g); // swapped meanwhile: go to the new one
        }
    }

    private static void leave(Generation g) {
        if (g.inFlight.decrementAndGet() == 0) {
            g.closeIfDone();
        }
    }

    /**
     * Puts {@code next} (loaded from {@code dir}) in service; the old model closes once its tickets
     * in flight are answered.
     */
    public void swap(FusionTicketRouter next, Path dir) {
        Generation old = current.getAndSet(new Generation(next, dir));
        old.retired = true;
        old.closeIfDone();
    }

    /** The directory of the model in service. */
    public Path modelDir() {
        return current.get().dir;
    }

    @Override
    public List<String> reads() {
        return current.get().router.reads();
    }

    @Override
    public Map<String, List<String>> classes() {
        return current.get().router.classes();
    }

    @Override
    public String model() {
        return current.get().router.model();
    }

    @Override
    public Map<String, Object> counts() {
        Generation g = current.get();
        Map<String, Object> counts = new LinkedHashMap<>(g.router.counts());
        counts.put("modelDir", g.dir.toString());
        return counts;
    }

    @Override
    public void close() {
        Generation g = current.get();
        g.retired = true;
        g.closeIfDone();
    }
}
