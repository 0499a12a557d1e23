package dev.braid.apps.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What reaches the console: Braid's own messages (a resumed run, a checkpoint read from its backup,
 * a WAV file shorter than its header says), and errors from libraries; with {@code --verbose},
 * every message the loggers' levels let through. Named in {@code logback.xml}.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {

    private static final String BRAID = "dev.braid.";

    private volatile boolean verbose;

    /** Whether every message is shown, rather than only those that matter to the user. */
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (verbose) {
            return FilterReply.NEUTRAL;
        }
        Level least = event.getLoggerName().startsWith(BRAID) ? Level.INFO : Level.ERROR;
        return event.getLevel().isGreaterOrEqual(least) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
