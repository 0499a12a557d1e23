package dev.braid.audio.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MfccAndFeaturesTest {

    private static Features random(int rows, int width, int frames, long seed) {
        Random rng = new Random(seed);
        float[][] v = new float[rows][width];
        for (float[] row : v) {
            for (int t = 0; t < frames; t++) {
                row[t] = (float) (3 * rng.nextGaussian() - 5);
            }
        }
        return new Features(v, frames);
    }

    @Test
    void mfccShapeAndC0IsScaledMean() {
        Features logMel = random(20, 15, 12, 1);
        Features mfcc = new Mfcc(20, 13).apply(logMel);

        assertEquals(13, mfcc.rows());
        assertEquals(15, mfcc.width());
        assertEquals(12, mfcc.frames());
        for (int t = 0; t < 12; t++) {
            double mean = 0;
            for (int m = 0; m < 20; m++) {
                mean += logMel.values()[m][t] / 20.0;
            }
            assertEquals(Math.sqrt(20) * mean, mfcc.values()[0][t], 1e-4);
        }
        assertEquals(0f, mfcc.values()[5][13]);
    }

    @Test
    void fullMfccIsOrthonormal() {
        // Orthonormal DCT-II keeps the energy of each frame; a constant frame has only c0.
        Features logMel = random(16, 5, 5, 2);
        Features mfcc = new Mfcc(16, 16).apply(logMel);
        for (int t = 0; t < 5; t++) {
            double in = 0;
            double out = 0;
            for (int m = 0; m < 16; m++) {
                in += Math.pow(logMel.values()[m][t], 2);
                out += Math.pow(mfcc.values()[m][t], 2);
            }
            assertEquals(in, out, 1e-3 * in);
        }
        float[][] constant = new float[16][1];
        for (float[] row : constant) {
            row[0] = 2;
        }
        Features c = new Mfcc(16, 16).apply(new Features(constant, 1));
        assertEquals(2 * 4, c.values()[0][0], 1e-5);
        for (int k = 1; k < 16; k++) {
            assertEquals(0, c.values()[k][0], 1e-5);
        }
    }

    @Test
    void perUtteranceNormalisationGivesMeanZeroVarianceOneOverRealFrames() {
        Features f = random(8, 30, 21, 3).normalized();
        for (float[] row : f.values()) {
            double mean = 0;
            for (int t = 0; t < 21; t++) {
                mean += row[t] / 21.0;
            }
            double var = 0;
            for (int t = 0; t < 21; t++) {
                var += (row[t] - mean) * (row[t] - mean) / 21.0;
            }
            assertEquals(0, mean, 1e-5);
            assertEquals(1, var, 1e-4);
            for (int t = 21; t < 30; t++) {
                assertEquals(0f, row[t]);
            }
        }
    }

    @Test
    void fitCropsOrPadsAndKeepsTheTrueFrameCount() {
        Features f = random(4, 10, 10, 4);

        Features padded = f.fit(25);
        assertEquals(25, padded.width());
        assertEquals(10, padded.frames());
        assertEquals(f.values()[2][9], padded.values()[2][9]);
        assertEquals(0f, padded.values()[2][10]);

        Features cropped = f.fit(6);
        assertEquals(6, cropped.width());
        assertEquals(6, cropped.frames());
        assertEquals(f.values()[3][5], cropped.values()[3][5]);
    }

    @Test
    void frameCountsFollowTheCentredFraming() {
        LogMelConfig c = LogMelConfig.defaults();
        assertEquals(1, c.frames(1));
        assertEquals(1, c.frames(159));
        assertEquals(2, c.frames(160));
        assertEquals(101, c.frames(16_000));
        assertEquals(301, c.frames(3.0));
        LogMelExtractor e = new LogMelExtractor(c);
        assertEquals(
                c.frames(1234),
                e.extract(new dev.braid.audio.signal.Waveform(new float[1234], 16_000)).frames());
    }

    @Test
    void invalidSettingsNameTheFieldAndValue() {
        LogMelConfig d = LogMelConfig.defaults();
        assertMessage("nFft (401) must be even", () -> d.toBuilder().nFft(401).build());
        assertMessage("hop (0) must be in [1, nFft (400)]", () -> d.toBuilder().hop(0).build());
        assertMessage("nMels (0) must be positive", () -> d.toBuilder().nMels(0).build());
        assertMessage(
                "fMax (9000.0) must be in (fMin (0.0), sampleRate / 2 (8000.0)]",
                () -> d.toBuilder().fMax(9000).build());
        assertMessage("fMin (-1.0) must be >= 0", () -> d.toBuilder().fMin(-1).build());
        assertMessage("floor (0.0) must be positive", () -> d.toBuilder().floor(0).build());
        assertMessage("coefficients (30) must be in [1, mels (20)]", () -> new Mfcc(20, 30));
        assertMessage(
                "frames (5) must be in [0, width (4)]", () -> new Features(new float[2][4], 5));
    }

    private static void assertMessage(
            String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, e);
        assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
    }
}
