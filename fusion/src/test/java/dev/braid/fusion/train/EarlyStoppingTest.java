package dev.braid.fusion.train;

import static dev.braid.fusion.train.EarlyStopping.Decision.IMPROVED;
import static dev.braid.fusion.train.EarlyStopping.Decision.NO_CHANGE;
import static dev.braid.fusion.train.EarlyStopping.Decision.STOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.train.EarlyStopping.Goal;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void maximizeStopsAfterPatienceEvaluationsWithoutImprovement() {
        EarlyStopping.Tracker tracker =
                new EarlyStopping("macro_f1", Goal.MAXIMIZE, 2, 0.01).start();
        assertEquals(IMPROVED, tracker.update(0.50));
        assertEquals(IMPROVED, tracker.update(0.60));
        // 0.605 is better but not by more than minDelta 0.01
        assertEquals(NO_CHANGE, tracker.update(0.605));
        assertEquals(1, tracker.epochsWithoutImprovement());
        assertEquals(IMPROVED, tracker.update(0.62));
        assertEquals(0.62, tracker.best(), 0);
        assertEquals(NO_CHANGE, tracker.update(0.40));
        assertEquals(STOP, tracker.update(0.61));
    }

    @Test
    void minimizeAndNaN() {
        EarlyStopping.Tracker tracker = new EarlyStopping("loss", Goal.MINIMIZE, 3, 0).start();
        assertEquals(IMPROVED, tracker.update(2.0));
        assertEquals(IMPROVED, tracker.update(1.5));
        assertEquals(NO_CHANGE, tracker.update(1.5));
        assertEquals(NO_CHANGE, tracker.update(Double.NaN));
        assertEquals(STOP, tracker.update(1.7));
        assertEquals(1.5, tracker.best(), 0);
    }

    @Test
    void resumeContinuesTheCount() {
        EarlyStopping rule = new EarlyStopping("accuracy", Goal.MAXIMIZE, 2, 0);
        EarlyStopping.Tracker tracker = rule.resume(0.8, 1);
        assertEquals(STOP, tracker.update(0.7));
    }

    @Test
    void invalidRulesAreNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new EarlyStopping("accuracy", Goal.MAXIMIZE, 0, 0));
        assertTrue(e.getMessage().contains("patience (0)"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new EarlyStopping(" ", Goal.MAXIMIZE, 1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new EarlyStopping("accuracy", Goal.MAXIMIZE, 1, -0.1));
    }
}
