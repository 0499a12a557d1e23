package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void sameInputsSameSeedsAndStepSeedsAreNonNegative() {
        Set<Integer> distinct = new HashSet<>();
        for (int step = 0; step < 1000; step++) {
            int seed = Seeds.forStep(42, step);
            assertEquals(seed, Seeds.forStep(42, step));
            assertTrue(seed >= 0, "seed " + seed);
            distinct.add(seed);
        }
        assertEquals(1000, distinct.size());
    }

    @Test
    void runSeedsAndStreamsDiffer() {
        assertNotEquals(Seeds.forStep(1, 0), Seeds.forStep(2, 0));
        assertNotEquals(Seeds.forEpoch(1, 0), Seeds.forEpoch(1, 1));
        assertNotEquals((long) Seeds.forStep(1, 0), Seeds.forEpoch(1, 0) >>> 33);
    }
}
