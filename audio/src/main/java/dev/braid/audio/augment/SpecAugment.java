package dev.braid.audio.augment;

import dev.braid.audio.features.Features;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * SpecAugment masking (Park et al., 2019) on a feature matrix: {@code frequencyMasks} bands of
 * {@code [0, maxFrequencyWidth]} consecutive rows and {@code timeMasks} spans of {@code [0,
 * maxTimeWidth]} consecutive real frames are set to the mean of the real region. Padding columns
 * are left alone. Deterministic given the generator's state; the input is not modified.
 *
 * @param frequencyMasks number of frequency masks
 * @param maxFrequencyWidth widest frequency mask, in rows
 * @param timeMasks number of time masks
 * @param maxTimeWidth widest time mask, in frames
 */
public record SpecAugment(
        int frequencyMasks, int maxFrequencyWidth, int timeMasks, int maxTimeWidth) {

    /** Checks that every count and width is non-negative. */
    public SpecAugment {
        if (frequencyMasks < 0 || maxFrequencyWidth < 0 || timeMasks < 0 || maxTimeWidth < 0) {
            throw new IllegalArgumentException(
                    "mask counts and widths must be >= 0, got frequencyMasks ("
                            + frequencyMasks
                            + "), maxFrequencyWidth ("
                            + maxFrequencyWidth
                            + "), timeMasks ("
                            + timeMasks
                            + "), maxTimeWidth ("
                            + maxTimeWidth
                            + ")");
        }
    }

    /** Two frequency masks of up to 8 mels and two time masks of up to 20 frames. */
    public static SpecAugment defaults() {
        return new SpecAugment(2, 8, 2, 20);
    }

    /**
     * Masks a copy of {@code features}.
     *
     * @param features {@code [R][W]} with {@code frames} real columns
     * @param rng the source of randomness
     * @return the masked copy
     */
    public Features apply(Features features, RandomGenerator rng) {
        int rows = features.rows();
        int frames = features.frames();
        float[][] out = new float[rows][];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            out[r] = features.values()[r].clone();
            for (int t = 0; t < frames; t++) {
                sum += out[r][t];
            }
        }
        float fill = frames == 0 ? 0f : (float) (sum / ((double) rows * frames));
        for (int i = 0; i < frequencyMasks; i++) {
            int width = rng.nextInt(Math.min(maxFrequencyWidth, rows) + 1);
            int start = rng.nextInt(rows - width + 1);
            for (int r = start; r < start + width; r++) {
                Arrays.fill(out[r], 0, frames, fill);
            }
        }
        for (int i = 0; i < timeMasks; i++) {
            int width = rng.nextInt(Math.min(maxTimeWidth, frames) + 1);
            int start = rng.nextInt(frames - width + 1);
            for (float[] row : out) {
                Arrays.fill(row, start, start + width, fill);
            }
        }
        return new Features(out, frames);
    }
}
