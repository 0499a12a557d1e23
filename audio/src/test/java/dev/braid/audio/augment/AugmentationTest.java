package dev.braid.audio.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.audio.TestAudio;
import dev.braid.audio.features.Features;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.features.LogMelExtractor;
import dev.braid.audio.signal.Waveform;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AugmentationTest {

    private static final Waveform CLIP =
            new Waveform(TestAudio.sine(500, 16_000, 8_000, 0.3), 16_000);

    static Stream<WaveformAugmentation> augmentations() {
        return Stream.of(AdditiveNoise.atSnr(10), new RandomGain(-6, 6), new TimeShift(0.05));
    }

    @ParameterizedTest
    @MethodSource("augmentations")
    void waveformAugmentationsAreDeterministicPerSeedAndChangeTheFeatures(WaveformAugmentation a) {
        Waveform first = a.apply(CLIP, new SplittableRandom(7));
        Waveform again = a.apply(CLIP, new SplittableRandom(7));
        Waveform other = a.apply(CLIP, new SplittableRandom(8));

        assertArrayEquals(first.samples(), again.samples());
        assertFalse(Arrays.equals(first.samples(), other.samples()));
        assertEquals(CLIP.length(), first.length());
        LogMelExtractor logMel = new LogMelExtractor(LogMelConfig.builder().nMels(32).build());
        float[][] before = logMel.extract(CLIP).values();
        float[][] after = logMel.extract(first).values();
        assertFalse(Arrays.deepEquals(before, after));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 10, 25})
    void addedNoiseHasTheRequestedSnr(double snrDb) {
        Waveform noisy = AdditiveNoise.atSnr(snrDb).apply(CLIP, new SplittableRandom(1));
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < CLIP.length(); i++) {
            double n = noisy.samples()[i] - CLIP.samples()[i];
            signal += CLIP.samples()[i] * CLIP.samples()[i];
            noise += n * n;
        }
        assertEquals(snrDb, 10 * Math.log10(signal / noise), 0.05);
        // And it is broadband noise, not a scaled copy of the signal.
        double dot = 0;
        for (int i = 0; i < CLIP.length(); i++) {
            dot += CLIP.samples()[i] * (noisy.samples()[i] - CLIP.samples()[i]);
        }
        assertTrue(Math.abs(dot) / Math.sqrt(signal * noise) < 0.05);
    }

    @Test
    void noiseLeavesSilenceAlone() {
        Waveform silence = new Waveform(new float[100], 16_000);
        assertArrayEquals(
                new float[100],
                AdditiveNoise.atSnr(5).apply(silence, new SplittableRandom(1)).samples());
    }

    @Test
    void gainIsOneFactorWithinTheRange() {
        for (long seed = 0; seed < 20; seed++) {
            Waveform y = new RandomGain(-6, 3).apply(CLIP, new SplittableRandom(seed));
            double g = y.samples()[10] / CLIP.samples()[10];
            assertTrue(
                    g >= Math.pow(10, -6 / 20.0) - 1e-6 && g <= Math.pow(10, 3 / 20.0) + 1e-6,
                    "gain " + g);
            for (int i = 1; i < CLIP.length(); i += 97) {
                assertEquals(g * CLIP.samples()[i], y.samples()[i], 1e-6);
            }
        }
    }

    @Test
    void timeShiftMovesTheClipByAtMostTheMaximum() {
        float[] ramp = new float[1000];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i + 1;
        }
        Waveform clip = new Waveform(ramp, 8_000);
        boolean sawPositive = false;
        boolean sawNegative = false;
        for (long seed = 0; seed < 40; seed++) {
            float[] y = new TimeShift(0.01).apply(clip, new SplittableRandom(seed)).samples();
            // The shift is where sample value 500 (index 499) went.
            int shift = -1;
            for (int i = 0; i < y.length; i++) {
                if (y[i] == 500) {
                    shift = i - 499;
                }
            }
            assertTrue(Math.abs(shift) <= 80, "shift " + shift);
            for (int i = 0; i < y.length; i++) {
                int from = i - shift;
                assertEquals(from >= 0 && from < 1000 ? from + 1 : 0, y[i]);
            }
            sawPositive |= shift > 0;
            sawNegative |= shift < 0;
        }
        assertTrue(sawPositive && sawNegative);
    }

    @Test
    void specAugmentMasksRealFramesOnlyAndIsDeterministic() {
        Features f =
                new LogMelExtractor(LogMelConfig.builder().nMels(32).build()).extract(CLIP).fit(80);
        SpecAugment aug = new SpecAugment(2, 6, 2, 10);

        Features a = aug.apply(f, new SplittableRandom(3));
        Features b = aug.apply(f, new SplittableRandom(3));
        Features c = aug.apply(f, new SplittableRandom(4));

        assertTrue(Arrays.deepEquals(a.values(), b.values()));
        assertFalse(Arrays.deepEquals(a.values(), c.values()));
        assertFalse(Arrays.deepEquals(a.values(), f.values()));
        int changed = 0;
        for (int r = 0; r < f.rows(); r++) {
            for (int t = 0; t < f.width(); t++) {
                if (a.values()[r][t] != f.values()[r][t]) {
                    changed++;
                    assertTrue(t < f.frames(), "padding changed at frame " + t);
                }
            }
        }
        assertTrue(changed > 0 && changed <= 2 * 6 * f.frames() + 2 * 10 * 32);
        Features none = new SpecAugment(0, 6, 0, 10).apply(f, new SplittableRandom(3));
        assertTrue(Arrays.deepEquals(none.values(), f.values()));
    }
}
