package dev.braid.audio.features;

/** Analysis window applied to each STFT frame. Both are periodic (DFT-even), as in torch. */
public enum Window {
    /** {@code w[i] = 0.5 − 0.5 cos(2πi/N)}. */
    HANN(0.5, 0.5),
    /** {@code w[i] = 0.54 − 0.46 cos(2πi/N)}. */
    HAMMING(0.54, 0.46);

    private final double a0;
    private final double a1;

    Window(double a0, double a1) {
        this.a0 = a0;
        this.a1 = a1;
    }

    /**
     * Returns the {@code n} window coefficients.
     *
     * @param n the window length
     * @return {@code w[0 … n-1]}
     */
    public float[] coefficients(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (a0 - a1 * Math.cos(2 * Math.PI * i / n));
        }
        return w;
    }
}
