package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    // peak 1e-3, 10 warm-up steps, floor 1e-4 reached at step 110: the decay spans 100 steps
    private final LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 10, 110, 1e-4);

    @Test
    void warmUpIsLinearFromZero() {
        assertEquals(0.0, schedule.at(0), 0);
        assertEquals(5e-4, schedule.at(5), 1e-10);
        assertEquals(1e-3, schedule.at(10), 1e-10);
    }

    @Test
    void cosineDecayToTheFloor() {
        // midpoint of the decay (step 60): cos(pi/2) = 0, so floor + (peak - floor) / 2
        assertEquals(5.5e-4, schedule.at(60), 1e-10);
        // three quarters (step 85): (1 + cos(3pi/4)) / 2 = (1 - 0.70710678) / 2 = 0.14644661
        assertEquals(1e-4 + 9e-4 * 0.14644661, schedule.at(85), 1e-10);
        assertEquals(1e-4, schedule.at(110), 1e-10);
        assertEquals(1e-4, schedule.at(5000), 1e-10);
    }

    @Test
    void withoutWarmUpTheFirstStepIsAtPeak() {
        assertEquals(0.01, new LearningRateSchedule(0.01, 0, 100, 0).at(0), 1e-9);
    }

    @Test
    void invalidSchedulesAreNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new LearningRateSchedule(1e-3, 10, 10, 0));
        assertTrue(e.getMessage().contains("totalSteps (10)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 10, 0));
        assertThrows(
                IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 0, 10, 1e-2));
        assertThrows(IllegalArgumentException.class, () -> schedule.at(-1));
    }
}
