package dev.braid.audio.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.braid.audio.TestAudio;
import dev.braid.audio.signal.Waveform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MelFilterbankTest {

    /** Textbook mel scales, written out here rather than taken from MelScale. */
    private static double textbookMel(MelScale scale, double hz) {
        if (scale == MelScale.HTK) {
            return 2595 * Math.log10(1 + hz / 700);
        }
        return hz < 1000 ? 3 * hz / 200 : 15 + 27 * Math.log(hz / 1000) / Math.log(6.4);
    }

    private static double textbookHz(MelScale scale, double mel) {
        // Invert by bisection, so the test does not share the closed-form inverse.
        double lo = 0;
        double hi = 100_000;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (textbookMel(scale, mid) < mel) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void scalesHitTheirDefiningPoints() {
        assertEquals(2595 * Math.log10(2), MelScale.HTK.toMel(700), 1e-9);
        assertEquals(15, MelScale.SLANEY.toMel(1000), 1e-9);
        assertEquals(15 + 27, MelScale.SLANEY.toMel(6400), 1e-9);
        assertEquals(7.5, MelScale.SLANEY.toMel(500), 1e-9);
        for (MelScale s : MelScale.values()) {
            for (double hz : new double[] {0, 123, 999, 1000, 4321, 8000}) {
                assertEquals(hz, s.toHz(s.toMel(hz)), 1e-6, s + " round trip at " + hz);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MelScale.class)
    void aSinePutsItsEnergyInTheBandContainingIt(MelScale scale) {
        int mels = 32;
        LogMelConfig config =
                LogMelConfig.builder().nFft(2048).hop(512).nMels(mels).melScale(scale).build();
        LogMelExtractor extractor = new LogMelExtractor(config);
        double step = textbookMel(scale, 8000) / (mels + 1);
        for (int band : new int[] {3, 10, 17, 25, 30}) {
            double hz = textbookHz(scale, (band + 1) * step); // the band's peak, by the textbook
            Features f =
                    extractor.extract(
                            new Waveform(TestAudio.sine(hz, 16_000, 16_000, 0.5), 16_000));
            int t = f.frames() / 2;
            int best = 0;
            for (int m = 1; m < mels; m++) {
                if (f.values()[m][t] > f.values()[best][t]) {
                    best = m;
                }
            }
            assertEquals(band, best, scale + ": sine at " + hz + " Hz");
        }
    }

    @Test
    void unnormalisedFiltersSumToOneInsideTheirRange() {
        LogMelConfig config =
                LogMelConfig.builder()
                        .nFft(1024)
                        .nMels(24)
                        .melNorm(MelNorm.NONE)
                        .melScale(MelScale.HTK)
                        .build();
        float[][] w = new MelFilterbank(config).weights();
        double binHz = 16_000 / 1024.0;
        double firstPeak = textbookHz(MelScale.HTK, textbookMel(MelScale.HTK, 8000) / 25);
        double lastPeak = textbookHz(MelScale.HTK, 24 * textbookMel(MelScale.HTK, 8000) / 25);
        int checked = 0;
        for (int k = 0; k < w[0].length; k++) {
            double f = k * binHz;
            if (f > firstPeak && f < lastPeak) {
                double sum = 0;
                for (float[] row : w) {
                    sum += row[k];
                }
                assertEquals(1, sum, 1e-5, "column sum at " + f + " Hz");
                checked++;
            }
            for (float[] row : w) {
                assertEquals(true, row[k] >= 0 && row[k] <= 1 + 1e-6);
            }
        }
        assertEquals(true, checked > 400);
    }

    @ParameterizedTest
    @EnumSource(MelScale.class)
    void slaneyNormalisedFiltersHaveUnitArea(MelScale scale) {
        // Fine bins (nFft 8192 → 1.95 Hz) so the sum approximates the integral.
        LogMelConfig config =
                LogMelConfig.builder()
                        .nFft(8192)
                        .nMels(16)
                        .melScale(scale)
                        .fMin(200)
                        .fMax(7000)
                        .build();
        float[][] w = new MelFilterbank(config).weights();
        double binHz = 16_000 / 8192.0;
        for (int m = 0; m < w.length; m++) {
            double area = 0;
            for (float v : w[m]) {
                area += v * binHz;
            }
            assertEquals(1, area, 0.02, "filter " + m);
        }
    }
}
