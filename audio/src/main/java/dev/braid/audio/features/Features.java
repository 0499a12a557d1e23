package dev.braid.audio.features;

import java.util.Arrays;

/**
 * A feature matrix over time, {@code values[row][frame]} (rows are mel bands or cepstral
 * coefficients), of which the first {@link #frames()} columns are real and the rest padding.
 *
 * <p>The arrays are not copied: treat them as read-only once wrapped. As for any record holding an
 * array, {@code equals} compares the array references, not their contents.
 *
 * @param values {@code [R][W]}: R rows, W ≥ frames columns
 * @param frames the number of real frames
 */
public record Features(float[][] values, int frames) {

    /** Checks that the matrix is rectangular and holds {@code frames} columns. */
    public Features {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values must have at least one row");
        }
        int width = values[0].length;
        for (float[] row : values) {
            if (row.length != width) {
                throw new IllegalArgumentException("values must be rectangular");
            }
        }
        if (frames < 0 || frames > width) {
            throw new IllegalArgumentException(
                    "frames (" + frames + ") must be in [0, width (" + width + ")]");
        }
    }

    /** Returns the number of rows R. */
    public int rows() {
        return values.length;
    }

    /** Returns the number of columns W, real and padding. */
    public int width() {
        return values[0].length;
    }

    /**
     * Crops or pads to exactly {@code width} columns. Cropping keeps the first columns; padding
     * appends zeros. The real frame count becomes {@code min(frames, width)}.
     *
     * @param width the wanted number of columns, positive
     * @return features of that width
     */
    public Features fit(int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("width (" + width + ") must be positive");
        }
        float[][] out = new float[values.length][];
        for (int r = 0; r < values.length; r++) {
            out[r] = Arrays.copyOf(values[r], width);
            Arrays.fill(out[r], Math.min(frames, width), width, 0f);
        }
        return new Features(out, Math.min(frames, width));
    }

    /**
     * Shifts and scales each row to mean 0 and variance 1 over the real frames; padding columns
     * stay 0. A row with variance below 1e-10 becomes 0.
     *
     * @return normalised features of the same shape
     */
    public Features normalized() {
        float[][] out = new float[values.length][width()];
        for (int r = 0; r < values.length; r++) {
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                sum += values[r][t];
            }
            double mean = frames == 0 ? 0 : sum / frames;
            double squares = 0;
            for (int t = 0; t < frames; t++) {
                double d = values[r][t] - mean;
                squares += d * d;
            }
            double variance = frames == 0 ? 0 : squares / frames;
            double scale = variance < 1e-10 ? 0 : 1 / Math.sqrt(variance);
            for (int t = 0; t < frames; t++) {
                out[r][t] = (float) ((values[r][t] - mean) * scale);
            }
        }
        return new Features(out, frames);
    }
}
