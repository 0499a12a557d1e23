package dev.braid.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SinusoidsTest {

    @Test
    void pairsTurnAtGeometricallyFallingFrequencies() {
        // dims 4: pair 0 turns at 1 radian per position, pair 1 at 10000^(-1/2) = 0.01
        assertEquals(3.0, Sinusoids.angle(3, 0, 4), 0);
        assertEquals(0.03, Sinusoids.angle(3, 1, 4), 1e-15);
        float[] out = new float[6];
        Sinusoids.interleaved(out, 2, 1, 4);
        assertArrayEquals(
                new float[] {0, 0, 0.84147098f, 0.54030231f, 0.00999983f, 0.99995000f}, out, 1e-7f);
    }

    @Test
    void anOddWidthIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Sinusoids.interleaved(new float[3], 0, 1, 3));
        assertEquals("dims (3) must be even", e.getMessage());
    }
}
