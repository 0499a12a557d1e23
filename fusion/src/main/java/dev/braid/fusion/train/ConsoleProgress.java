package dev.braid.fusion.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A console progress bar showing step, loss, learning rate, throughput and ETA:
 *
 * <pre>
 * [=========&gt;          ]  45% step 450/1000 epoch 2 loss 0.4321 lr 1.00e-03 312.5 samples/s ETA 1:23
 * </pre>
 *
 * <p>On a terminal ({@link #terminal}) the line is redrawn in place after every step with a
 * carriage return; the only control character written is {@code \r}. When output goes to a file or
 * a pipe ({@link #lines}) a full line is printed every {@code everySteps} steps and at the last
 * step, so logs get no redraw noise. {@link #forConsole} picks one of the two. Each epoch's metrics
 * get a line of their own.
 *
 * <p>The ETA is the remaining steps times the mean wall-clock time per step since the first event
 * this listener saw, so it is right after a resume as well.
 */
public final class ConsoleProgress implements TrainingListener {

    /** How lines are drawn. */
    enum Style {
        REDRAW,
        LINES
    }

    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final Style style;
    private final int everySteps;
    private final LongSupplier nanoClock;
    private long firstNanos;
    private int firstStep = -1;
    private int drawnLength;

    ConsoleProgress(PrintStream out, Style style, int everySteps, LongSupplier nanoClock) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("everySteps (" + everySteps + ") must be >= 1");
        }
        this.out = out;
        this.style = style;
        this.everySteps = everySteps;
        this.nanoClock = nanoClock;
    }

    /** A bar redrawn in place after every step, for an interactive terminal. */
    public static ConsoleProgress terminal(PrintStream out) {
        return new ConsoleProgress(out, Style.REDRAW, 1, System::nanoTime);
    }

    /** A line every {@code everySteps} steps, for output to a file or a pipe. */
    public static ConsoleProgress lines(PrintStream out, int everySteps) {
        return new ConsoleProgress(out, Style.LINES, everySteps, System::nanoTime);
    }

    /**
     * Standard output as a {@link #terminal} bar if the JVM has a console, else {@link #lines}
     * every 50 steps.
     */
    public static ConsoleProgress forConsole() {
        return System.console() != null ? terminal(System.out) : lines(System.out, 50);
    }

    @Override
    public void onStep(StepEvent event) {
        long now = nanoClock.getAsLong();
        if (firstStep < 0) {
            firstStep = event.step();
            firstNanos = now;
        }
        boolean last = event.step() >= event.totalSteps();
        if (style == Style.LINES && event.step() % everySteps != 0 && !last) {
            return;
        }
        String line = line(event, now);
        if (style == Style.REDRAW) {
            // pad with spaces over the rest of a longer previous line: no escape codes
            int previous = drawnLength;
            drawnLength = line.length();
            out.print("\r" + line + " ".repeat(Math.max(0, previous - line.length())));
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onEpoch(EpochEvent event) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "epoch %d (step %d)", event.epoch(), event.step()));
        for (Map.Entry<String, Double> metric : Evaluation.headline(event.metrics()).entrySet()) {
            line.append(String.format(Locale.ROOT, " %s %.4f", metric.getKey(), metric.getValue()));
        }
        if (event.improved()) {
            line.append(" *best*");
        }
        endRedrawnLine();
        out.println(line);
        out.flush();
    }

    @Override
    public void onTrainingEnd(EndEvent event) {
        endRedrawnLine();
        out.printf(
                Locale.ROOT,
                "training %s after %d steps (epoch %d)%n",
                event.outcome() == EndEvent.Outcome.COMPLETED ? "completed" : "stopped early",
                event.step(),
                event.epoch());
        out.flush();
    }

    private void endRedrawnLine() {
        if (style == Style.REDRAW && drawnLength > 0) {
            out.println();
            drawnLength = 0;
        }
    }

    private String line(StepEvent event, long now) {
        int total = Math.max(event.totalSteps(), 1);
        double fraction = Math.min(1.0, (double) event.step() / total);
        int filled = (int) (fraction * BAR_WIDTH);
        String bar =
                "="
                        .repeat(filled)
                        .concat(filled < BAR_WIDTH ? ">" : "")
                        .concat(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1)));
        return String.format(
                Locale.ROOT,
                "[%s] %3d%% step %d/%d epoch %d loss %.4f lr %.2e %.1f samples/s ETA %s",
                bar,
                (int) (fraction * 100),
                event.step(),
                event.totalSteps(),
                event.epoch(),
                event.loss(),
                event.learningRate(),
                event.samplesPerSecond(),
                eta(event, now));
    }

    private String eta(StepEvent event, long now) {
        int done = event.step() - firstStep;
        if (done <= 0) {
            return "--";
        }
        double secondsPerStep = (now - firstNanos) / 1e9 / done;
        long seconds = Math.round(secondsPerStep * Math.max(0, event.totalSteps() - event.step()));
        return seconds >= 3600
                ? String.format(
                        Locale.ROOT,
                        "%d:%02d:%02d",
                        seconds / 3600,
                        seconds / 60 % 60,
                        seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
