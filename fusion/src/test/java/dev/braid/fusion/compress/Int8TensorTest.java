package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Int8TensorTest {

    // three channels of four: an ordinary row, a row of zeros, a row with a larger range
    private static final float[] WEIGHTS = {
        1.0f, -0.4f, 0.25f, 0.1f,
        0f, 0f, 0f, 0f,
        2.54f, -1.0f, 0.013f, 0.6f
    };

    @Test
    void scalesAreEachChannelsLargestMagnitudeOver127() {
        Int8Tensor q = Int8Tensor.quantise(WEIGHTS, 3);
        assertArrayEquals(new float[] {1f / 127, 0f, 0.02f}, q.scales(), 1e-7f);
        // by hand: round(w / s) per channel
        assertArrayEquals(new byte[] {127, -51, 32, 13, 0, 0, 0, 0, 127, -50, 1, 30}, q.values());
    }

    @Test
    void dequantisedValuesAreWithinHalfAScaleStep() {
        float[] back = Int8Tensor.quantise(WEIGHTS, 3).dequantise();
        // by hand: q * s
        float[] expected = {
            1f, -51f / 127, 32f / 127, 13f / 127,
            0f, 0f, 0f, 0f,
            2.54f, -1.0f, 0.02f, 0.6f
        };
        assertArrayEquals(expected, back, 1e-6f);
        float[] bound = {0.5f / 127, 0f, 0.01f}; // s_c / 2
        for (int i = 0; i < WEIGHTS.length; i++) {
            float error = Math.abs(WEIGHTS[i] - back[i]);
            assertTrue(error <= bound[i / 4] + 1e-6f, "weight " + i + " moved by " + error);
        }
        assertEquals(0.007f, Math.abs(WEIGHTS[10] - back[10]), 1e-6f); // 0.013 reads as 0.02
    }

    @Test
    void refusesWhatDoesNotSplitOrIsNotFinite() {
        IllegalArgumentException split =
                assertThrows(IllegalArgumentException.class, () -> Int8Tensor.quantise(WEIGHTS, 5));
        assertEquals("weights (12 values) do not split into channels (5)", split.getMessage());
        IllegalArgumentException nan =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Int8Tensor.quantise(new float[] {1f, Float.NaN}, 1));
        assertEquals("weight 1 (NaN) is not finite", nan.getMessage());
    }
}
