package dev.braid.audio.features;

/**
 * Triangular mel filters over one-sided FFT bins.
 *
 * <p>M + 2 edge frequencies are equally spaced in mels between {@code fMin} and {@code fMax};
 * filter m rises linearly from edge m to a peak of 1 at edge m + 1 and falls to 0 at edge m + 2,
 * evaluated at bin frequencies {@code k × sampleRate / nFft}. With {@link MelNorm#SLANEY} each
 * filter is then multiplied by {@code 2 / (edge[m+2] − edge[m])}, giving it unit area in Hz.
 *
 * <p>Immutable; the weights are stored sparsely (each filter's non-zero bin range).
 */
public final class MelFilterbank {

    private final double[] edgesHz;
    private final float[][] weights;
    private final int[] firstBin;
    private final int[] endBin;

    /**
     * Builds the filterbank for a configuration.
     *
     * @param config sample rate, nFft, nMels, frequency range, scale and norm
     */
    public MelFilterbank(LogMelConfig config) {
        int mels = config.nMels();
        int bins = config.bins();
        MelScale scale = config.melScale();
        double lo = scale.toMel(config.fMin());
        double hi = scale.toMel(config.fMax());
        edgesHz = new double[mels + 2];
        for (int i = 0; i < mels + 2; i++) {
            edgesHz[i] = scale.toHz(lo + (hi - lo) * i / (mels + 1));
        }
        weights = new float[mels][bins];
        firstBin = new int[mels];
        endBin = new int[mels];
        double binHz = config.sampleRate() / (double) config.nFft();
        for (int m = 0; m < mels; m++) {
            double left = edgesHz[m];
            double center = edgesHz[m + 1];
            double right = edgesHz[m + 2];
            double norm = config.melNorm() == MelNorm.SLANEY ? 2 / (right - left) : 1;
            firstBin[m] = bins;
            for (int k = 0; k < bins; k++) {
                double f = k * binHz;
                double rising = (f - left) / (center - left);
                double falling = (right - f) / (right - center);
                double w = Math.max(0, Math.min(rising, falling)) * norm;
                weights[m][k] = (float) w;
                if (w > 0) {
                    firstBin[m] = Math.min(firstBin[m], k);
                    endBin[m] = k + 1;
                }
            }
        }
    }

    /** Returns the number of filters M. */
    public int mels() {
        return weights.length;
    }

    /** Returns the number of FFT bins K the filters span. */
    public int bins() {
        return weights[0].length;
    }

    /**
     * Returns filter m's lower edge, peak and upper edge in Hz.
     *
     * @param m the filter index
     * @return {@code {lower, peak, upper}}
     */
    public double[] edgesHz(int m) {
        return new double[] {edgesHz[m], edgesHz[m + 1], edgesHz[m + 2]};
    }

    /** Returns a copy of the weights, {@code [M][K]}. */
    public float[][] weights() {
        float[][] copy = new float[weights.length][];
        for (int m = 0; m < weights.length; m++) {
            copy[m] = weights[m].clone();
        }
        return copy;
    }

    /**
     * Applies filter m to one spectrum.
     *
     * @param m the filter index
     * @param spectrum K values
     * @return {@code Σ_k weights[m][k] × spectrum[k]}
     */
    public double apply(int m, float[] spectrum) {
        double sum = 0;
        float[] w = weights[m];
        for (int k = firstBin[m]; k < endBin[m]; k++) {
            sum += w[k] * spectrum[k];
        }
        return sum;
    }
}
