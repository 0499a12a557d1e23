package dev.braid.audio.features;

import dev.braid.audio.signal.RealFft;

/**
 * Short-time Fourier transform of a real signal: centred frames (zero-padded by {@code nFft / 2} on
 * both sides), a periodic window of length {@code nFft}, one-sided spectra. Thread-safe.
 *
 * <p>Shapes: F frames ({@code 1 + samples / hop}), K bins ({@code nFft / 2 + 1}); bin k is at
 * {@code k × sampleRate / nFft} Hz.
 */
public final class Stft {

    private final int nFft;
    private final int hop;
    private final float[] window;

    /**
     * Creates an STFT.
     *
     * @param nFft window and FFT length, even
     * @param hop frame step, positive
     * @param window the analysis window
     */
    public Stft(int nFft, int hop, Window window) {
        if (nFft < 2 || nFft % 2 != 0) {
            throw new IllegalArgumentException("nFft (" + nFft + ") must be even and at least 2");
        }
        if (hop <= 0) {
            throw new IllegalArgumentException("hop (" + hop + ") must be positive");
        }
        this.nFft = nFft;
        this.hop = hop;
        this.window = window.coefficients(nFft);
    }

    /** Returns the number of frames for {@code samples} samples. */
    public int frames(int samples) {
        return 1 + samples / hop;
    }

    /**
     * Computes the power spectrogram {@code |X_t[k]|²}.
     *
     * @param samples the signal
     * @return {@code [F][K]}
     */
    public float[][] power(float[] samples) {
        RealFft fft = new RealFft(nFft);
        int frames = frames(samples.length);
        float[][] out = new float[frames][fft.bins()];
        float[] frame = new float[nFft];
        for (int t = 0; t < frames; t++) {
            fillFrame(samples, t, frame);
            fft.power(frame, out[t]);
        }
        return out;
    }

    /**
     * Computes the magnitude spectrogram {@code |X_t[k]|}.
     *
     * @param samples the signal
     * @return {@code [F][K]}
     */
    public float[][] magnitude(float[] samples) {
        float[][] power = power(samples);
        for (float[] row : power) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) Math.sqrt(row[k]);
            }
        }
        return power;
    }

    /** Writes the windowed frame {@code t} (zero outside the signal) into {@code frame}. */
    void fillFrame(float[] samples, int t, float[] frame) {
        int start = t * hop - nFft / 2;
        for (int i = 0; i < nFft; i++) {
            int s = start + i;
            frame[i] = s >= 0 && s < samples.length ? samples[s] * window[i] : 0f;
        }
    }

    /** Returns a fresh FFT of this STFT's size, for callers that reuse one per thread. */
    RealFft newFft() {
        return new RealFft(nFft);
    }
}
