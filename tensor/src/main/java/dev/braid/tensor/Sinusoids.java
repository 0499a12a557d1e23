package dev.braid.tensor;

/**
 * The sine-cosine position code of the original Transformer, which the text encoder (1-D), the
 * image encoder (one code per axis) and rotary embeddings (as rotation angles) all use: pair {@code
 * k} of a {@code d}-wide code turns at angle {@code position · 10000^(-2k/d)}.
 */
public final class Sinusoids {

    /** The base of the frequencies. */
    public static final double BASE = 10_000;

    private Sinusoids() {}

    /** The angle of pair {@code k} of a {@code dims}-wide code at {@code position}. */
    public static double angle(int position, int k, int dims) {
        return position * Math.pow(BASE, -2.0 * k / dims);
    }

    /**
     * Writes the {@code dims}-wide code of {@code position} into {@code out} from {@code offset}:
     * {@code sin} of pair k's angle at feature {@code 2k}, {@code cos} at {@code 2k + 1}.
     *
     * @throws IllegalArgumentException if {@code dims} is odd
     */
    public static void interleaved(float[] out, int offset, int position, int dims) {
        if (dims % 2 != 0) {
            throw new IllegalArgumentException("dims (" + dims + ") must be even");
        }
        for (int k = 0; k < dims / 2; k++) {
            double angle = angle(position, k, dims);
            out[offset + 2 * k] = (float) Math.sin(angle);
            out[offset + 2 * k + 1] = (float) Math.cos(angle);
        }
    }
}
