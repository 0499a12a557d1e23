package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void linesModePrintsEveryNStepsWithoutControlCharacters() {
        ConsoleProgress progress =
                new ConsoleProgress(out, ConsoleProgress.Style.LINES, 5, nanos::get);
        for (int step = 1; step <= 12; step++) {
            progress.onStep(new StepEvent(step, 0, 12, 0.5, 1e-3, 1, 64));
            nanos.addAndGet(500_000_000L); // half a second a step
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        // steps 5, 10 and the last one, 12
        assertEquals(3, lines.length, text);
        assertTrue(lines[0].contains("step 5/12"), lines[0]);
        assertTrue(lines[2].contains("step 12/12"), lines[2]);
        assertFalse(text.contains("\r") || text.contains("\u001b"), "no control characters");
    }

    @Test
    void lineShowsLossRateAndEta() {
        ConsoleProgress progress =
                new ConsoleProgress(out, ConsoleProgress.Style.LINES, 2, nanos::get);
        progress.onStep(new StepEvent(1, 0, 100, 0.5, 1e-3, 1, 64));
        nanos.set(1_000_000_000L);
        progress.onStep(new StepEvent(2, 0, 100, 0.25, 2e-3, 1, 128));
        String line = bytes.toString(StandardCharsets.UTF_8).trim();
        // one second for one step since the first: 98 steps left -> 98 s = 1:38
        assertTrue(line.contains("ETA 1:38"), line);
        assertTrue(line.contains("loss 0.2500"), line);
        assertTrue(line.contains("lr 2.00e-03"), line);
        assertTrue(line.contains("128.0 samples/s"), line);
        assertTrue(line.startsWith("[>                   ]   2%"), line);
    }

    @Test
    void terminalModeRedrawsOneLineWithCarriageReturns() {
        ConsoleProgress progress =
                new ConsoleProgress(out, ConsoleProgress.Style.REDRAW, 1, nanos::get);
        progress.onStep(new StepEvent(1, 0, 4, 0.5, 1e-3, 1, 64));
        progress.onStep(new StepEvent(2, 0, 4, 0.5, 1e-3, 1, 64));
        progress.onEpoch(new EpochEvent(0, 2, Map.of("accuracy", 0.75), true));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, text.chars().filter(c -> c == '\r').count(), text);
        assertFalse(text.contains("\u001b"), "no escape codes");
        assertTrue(text.endsWith("epoch 0 (step 2) accuracy 0.7500 *best*\n"), text);
    }
}
