package dev.braid.audio.features;

/**
 * Mel-frequency cepstral coefficients: the orthonormal DCT-II of each log-mel frame, keeping the
 * first C coefficients. With M mels, {@code c[k] = s_k Σ_m x[m] cos(π k (m + ½) / M)}, {@code s_0 =
 * √(1/M)}, {@code s_k = √(2/M)}; so {@code c[0] = √M × mean(x)}. Thread-safe.
 */
public final class Mfcc {

    private final int mels;
    private final float[][] basis;

    /**
     * Creates the transform.
     *
     * @param mels the number of log-mel rows M
     * @param coefficients the number of coefficients C, in [1, M]
     */
    public Mfcc(int mels, int coefficients) {
        if (mels <= 0) {
            throw new IllegalArgumentException("mels (" + mels + ") must be positive");
        }
        if (coefficients < 1 || coefficients > mels) {
            throw new IllegalArgumentException(
                    "coefficients (" + coefficients + ") must be in [1, mels (" + mels + ")]");
        }
        this.mels = mels;
        this.basis = new float[coefficients][mels];
        for (int k = 0; k < coefficients; k++) {
            double s = Math.sqrt((k == 0 ? 1.0 : 2.0) / mels);
            for (int m = 0; m < mels; m++) {
                basis[k][m] = (float) (s * Math.cos(Math.PI * k * (m + 0.5) / mels));
            }
        }
    }

    /**
     * Transforms log-mel features.
     *
     * @param logMel {@code [M][W]}
     * @return {@code [C][W]} with the same real frame count; padding columns stay 0
     */
    public Features apply(Features logMel) {
        if (logMel.rows() != mels) {
            throw new IllegalArgumentException(
                    "logMel rows (" + logMel.rows() + ") must equal mels (" + mels + ")");
        }
        float[][] x = logMel.values();
        float[][] out = new float[basis.length][logMel.width()];
        for (int t = 0; t < logMel.frames(); t++) {
            for (int k = 0; k < basis.length; k++) {
                double sum = 0;
                for (int m = 0; m < mels; m++) {
                    sum += basis[k][m] * x[m][t];
                }
                out[k][t] = (float) sum;
            }
        }
        return new Features(out, logMel.frames());
    }
}
