package dev.braid.audio.signal;

/**
 * Mono audio samples at a known sample rate.
 *
 * <p>Samples are nominally in {@code [-1, 1]} (full-scale PCM maps to that range; float WAVs may
 * exceed it). The array is not copied: treat it as read-only once wrapped.
 *
 * @param samples the mono samples
 * @param sampleRate samples per second, positive
 */
public record Waveform(float[] samples, int sampleRate) {

    /** Checks the sample rate and that the samples array is present. */
    public Waveform {
        if (samples == null) {
            throw new IllegalArgumentException("samples must not be null");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate (" + sampleRate + ") must be positive");
        }
    }

    /** Returns the number of samples. */
    public int length() {
        return samples.length;
    }

    /** Returns the duration in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
