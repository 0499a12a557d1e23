package dev.braid.apps.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.read.CyclicBufferAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Switches the console between quiet and verbose, and copies every message to a run's log file
 * while it trains. Both act on the appenders {@code logback.xml} sets up; with another logging
 * configuration ({@code -Dlogback.configurationFile=...}) or another SLF4J binding they do nothing.
 */
public final class Logging {

    /** The name of the console appender in {@code logback.xml}. */
    static final String CONSOLE = "CONSOLE";

    /** The name of the appender in {@code logback.xml} that holds messages until a run's file. */
    static final String STARTUP = "STARTUP";

    /** The log file a training run writes in its output folder. */
    public static final String RUN_LOG = "braid.log";

    private static final String FILE_PATTERN =
            "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n";

    private Logging() {}

    /** Shows every message on the console ({@code --verbose}), or only those that matter. */
    public static void setVerbose(boolean verbose) {
        Logger root = root();
        if (root == null) {
            return;
        }
        Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
        if (console == null) {
            return;
        }
        console.getCopyOfAttachedFiltersList().stream()
                .filter(ConsoleFilter.class::isInstance)
                .forEach(f -> ((ConsoleFilter) f).setVerbose(verbose));
    }

    /**
     * Appends every message, whatever the console shows, to {@code file} until the returned handle
     * is closed. A resumed run appends to the file it wrote before. The first file of the process
     * begins with the messages logged before it opened.
     */
    public static FileLog toFile(Path file) {
        Logger root = root();
        if (root == null) {
            return new FileLog(null, null);
        }
        LoggerContext context = root.getLoggerContext();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(FILE_PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("run:" + file);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (root.getAppender(STARTUP) instanceof CyclicBufferAppender<ILoggingEvent> held) {
            // the first run's file begins with what came before it, the engine's start among it
            root.detachAppender(held);
            for (int i = 0; i < held.getLength(); i++) {
                appender.doAppend(held.get(i));
            }
            held.stop();
        }
        root.addAppender(appender);
        return new FileLog(root, appender);
    }

    private static Logger root() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                ? context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                : null;
    }

    /** A log file being written; closing it stops the copying and closes the file. */
    public static final class FileLog implements AutoCloseable {

        private final Logger root;
        private final FileAppender<ILoggingEvent> appender;

        private FileLog(Logger root, FileAppender<ILoggingEvent> appender) {
            this.root = root;
            this.appender = appender;
        }

        @Override
        public void close() {
            if (appender != null) {
                root.detachAppender(appender);
                appender.stop();
            }
        }
    }
}
