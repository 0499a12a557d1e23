package dev.braid.fusion.train;

import static dev.braid.fusion.train.EarlyStopping.Decision.IMPROVED;
import static dev.braid.fusion.train.EarlyStopping.Decision.NO_CHANGE;
import static dev.braid.fusion.train.EarlyStopping.Decision.STOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.train.EarlyStopping.Goal;
import dev.braid.fusion.train.EarlyStopping.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EarlyStoppingTest {

    @Test
    void maximizeStopsAfterPatienceEvaluationsWithoutImprovement() {
        EarlyStopping.Tracker tracker =
                new EarlyStopping(new Metric("macro_f1", Goal.MAXIMIZE), 2, 0.01).start();
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
        EarlyStopping.Tracker tracker = new EarlyStopping(Metric.of("loss"), 3, 0).start();
        assertEquals(IMPROVED, tracker.update(2.0));
        assertEquals(IMPROVED, tracker.update(1.5));
        assertEquals(NO_CHANGE, tracker.update(1.5));
        assertEquals(NO_CHANGE, tracker.update(Double.NaN));
        assertEquals(STOP, tracker.update(1.7));
        assertEquals(1.5, tracker.best(), 0);
    }

    @Test
    void resumeContinuesTheCount() {
        EarlyStopping rule = new EarlyStopping(new Metric("accuracy", Goal.MAXIMIZE), 2, 0);
        EarlyStopping.Tracker tracker = rule.resume(0.8, 1);
        assertEquals(STOP, tracker.update(0.7));
    }

    @Test
    void invalidRulesAreNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new EarlyStopping(Metric.of("label/accuracy"), 0, 0));
        assertTrue(e.getMessage().contains("patience (0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Metric(" ", Goal.MAXIMIZE));
        assertThrows(IllegalArgumentException.class, () -> new Metric("loss", null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new EarlyStopping(Metric.of("label/accuracy"), 1, -0.1));
    }

    @ParameterizedTest
    @CsvSource({
        "loss, MINIMIZE",
        "label/accuracy, MAXIMIZE",
        "label/macro_f1, MAXIMIZE",
        "label/roc_auc, MAXIMIZE",
        "tags/roc_auc_macro, MAXIMIZE",
        "tags/exact_match, MAXIMIZE",
        "price/mae, MINIMIZE",
        "price/rmse, MINIMIZE",
        "label/precision/cat, MAXIMIZE",
        "label/recall/loss, MAXIMIZE",
        "label/f1/n/a, MAXIMIZE"
    })
    void everyMetricTheEvaluatorReportsHasItsGoal(String name, Goal goal) {
        assertEquals(new Metric(name, goal), Metric.of(name));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"label/acuracy", "accuracy", "label/loss", "label/support/cat", "/accuracy"})
    void aMetricBraidDoesNotEvaluateIsNamed(String name) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Metric.of(name));
        assertTrue(e.getMessage().contains("metric '" + name + "'"), e.getMessage());
    }

    @Test
    void aKnownMetricCannotBeGivenTheOtherGoal() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new Metric("loss", Goal.MAXIMIZE));
        assertTrue(e.getMessage().contains("goal (MAXIMIZE) of metric 'loss'"), e.getMessage());
        // A metric Braid does not know takes the goal it is given.
        assertEquals(Goal.MINIMIZE, new Metric("perplexity", Goal.MINIMIZE).goal());
    }
}
