package dev.braid.audio.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.braid.audio.TestAudio;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StftTest {

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest(name = "{0} Hz peaks at bin {1}")
    @CsvSource({"1000, 25", "1234, 31", "40, 1", "7960, 199"})
    void aSinePeaksAtItsBin(double hz, int bin) {
        // 16 kHz, nFft 400: bins are 40 Hz apart.
        float[][] mag =
                new Stft(400, 160, Window.HANN).magnitude(TestAudio.sine(hz, 16_000, 4000, 0.5));

        assertEquals(1 + 4000 / 160, mag.length);
        assertEquals(201, mag[0].length);
        for (int t = 2; t < mag.length - 2; t++) {
            assertEquals(bin, argmax(mag[t]), "frame " + t);
        }
    }

    @org.junit.jupiter.api.Test
    void binCentredSineHasTheTextbookMagnitude() {
        // A sin at a bin centre through a Hann window of N: |X| = A/2 × Σw = A/2 × N/2.
        float[][] mag =
                new Stft(400, 160, Window.HANN).magnitude(TestAudio.sine(1000, 16_000, 4000, 0.5));
        assertEquals(0.5 / 2 * 400 / 2, mag[10][25], 0.01);
        // Hamming: Σw = 0.54 N.
        float[][] ham =
                new Stft(400, 160, Window.HAMMING)
                        .magnitude(TestAudio.sine(1000, 16_000, 4000, 0.5));
        assertEquals(0.5 / 2 * 0.54 * 400, ham[10][25], 0.01);
    }
}
