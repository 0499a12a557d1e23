package dev.braid.audio.signal;

import be.tarsos.dsp.util.fft.FloatFFT;

/**
 * Power spectrum of one real frame, by TarsosDSP's mixed-radix FFT (any even size, not only powers
 * of two). Keeps TarsosDSP out of the feature code.
 *
 * <p>Not thread-safe: use one instance per thread (construction is cheap).
 */
public final class RealFft {

    private final int size;
    private final FloatFFT fft;
    private final float[] work;

    /**
     * Creates an FFT for frames of {@code size} samples.
     *
     * @param size the frame length; even and at least 2
     */
    public RealFft(int size) {
        if (size < 2 || size % 2 != 0) {
            throw new IllegalArgumentException("size (" + size + ") must be even and at least 2");
        }
        this.size = size;
        this.fft = new FloatFFT(size);
        this.work = new float[size];
    }

    /** Returns the frame length. */
    public int size() {
        return size;
    }

    /** Returns the number of one-sided frequency bins, {@code size / 2 + 1}. */
    public int bins() {
        return size / 2 + 1;
    }

    /**
     * Computes {@code |X[k]|²} for {@code k = 0 … size/2} of an (already windowed) frame.
     *
     * @param frame {@code size} samples; not modified
     * @param power receives {@code size / 2 + 1} values
     */
    public void power(float[] frame, float[] power) {
        System.arraycopy(frame, 0, work, 0, size);
        fft.realForward(work);
        // Packed layout: work[0] = Re X0, work[1] = Re X(n/2), then (Re Xk, Im Xk) pairs.
        power[0] = work[0] * work[0];
        power[size / 2] = work[1] * work[1];
        for (int k = 1; k < size / 2; k++) {
            float re = work[2 * k];
            float im = work[2 * k + 1];
            power[k] = re * re + im * im;
        }
    }
}
