package dev.braid.fusion.compress;

/**
 * A float tensor stored as int8 with one symmetric scale per output channel (the first dimension: a
 * linear layer's output unit, a convolution's output channel, an embedding's row).
 *
 * <p>Channel {@code c}'s scale is {@code s_c = max|w_c| / 127}; a value is stored as {@code q =
 * round(w / s_c)}, in [-127, 127], and read back as {@code q * s_c}, so no value moves by more than
 * {@code s_c / 2}. A channel of zeros has scale 0 and reads back as zeros. Symmetric (no zero
 * point) because trained weights are centred on zero, and -128 is left out so that the range is
 * symmetric too.
 *
 * @param values the int8 values, row-major, {@code channels × perChannel}
 * @param scales one scale per channel
 */
public record Int8Tensor(byte[] values, float[] scales) {

    /** The largest stored magnitude. */
    static final int LEVELS = 127;

    public Int8Tensor {
        if (scales.length == 0 || values.length % scales.length != 0) {
            throw new IllegalArgumentException(
                    "values ("
                            + values.length
                            + ") must be a whole number of channels ("
                            + scales.length
                            + ")");
        }
    }

    /**
     * Quantises {@code weights}, {@code channels} rows of equal length.
     *
     * @throws IllegalArgumentException if {@code weights} does not split into {@code channels} rows
     *     or holds a value that is not finite
     */
    public static Int8Tensor quantise(float[] weights, int channels) {
        if (channels < 1 || weights.length % channels != 0) {
            throw new IllegalArgumentException(
                    "weights ("
                            + weights.length
                            + " values) do not split into channels ("
                            + channels
                            + ")");
        }
        int row = weights.length / channels;
        float[] scales = new float[channels];
        byte[] values = new byte[weights.length];
        for (int c = 0; c < channels; c++) {
            float max = 0;
            for (int i = c * row; i < (c + 1) * row; i++) {
                if (!Float.isFinite(weights[i])) {
                    throw new IllegalArgumentException(
                            "weight " + i + " (" + weights[i] + ") is not finite");
                }
                max = Math.max(max, Math.abs(weights[i]));
            }
            float scale = max / LEVELS;
            scales[c] = scale;
            for (int i = c * row; i < (c + 1) * row; i++) {
                int q = scale == 0 ? 0 : Math.round(weights[i] / scale);
                values[i] = (byte) Math.max(-LEVELS, Math.min(LEVELS, q));
            }
        }
        return new Int8Tensor(values, scales);
    }

    /** The float values this stands for: {@code q * s_c}. */
    public float[] dequantise() {
        int row = values.length / scales.length;
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scales[i / row];
        }
        return out;
    }
}
