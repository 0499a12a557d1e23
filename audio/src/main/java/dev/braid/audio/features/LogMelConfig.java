package dev.braid.audio.features;

/**
 * How a waveform becomes a log-mel spectrogram. Start from {@link #defaults()} or {@link
 * #forSampleRate(int)} and change fields with the {@code with…} methods.
 *
 * <p>Frames are centred: the signal is zero-padded by {@code nFft / 2} on both sides, so a clip of
 * {@code n} samples has {@code 1 + n / hop} frames and frame {@code t} is centred on sample {@code
 * t × hop}. The log-mel value is {@code ln(max(floor, Σ_k fb[m][k] |X_t[k]|²))}.
 *
 * @param sampleRate sample rate of the input waveform in Hz (16000)
 * @param nFft FFT and window length in samples; even (400 = 25 ms)
 * @param hop frame step in samples (160 = 10 ms)
 * @param window analysis window (HANN)
 * @param nMels number of mel bands (64)
 * @param fMin lowest filter edge in Hz (0)
 * @param fMax highest filter edge in Hz, at most {@code sampleRate / 2} (8000)
 * @param melScale Hz↔mel mapping (SLANEY)
 * @param melNorm filter scaling (SLANEY)
 * @param floor power below this is clamped before the log, so silence stays finite (1e-10)
 * @param normalization per-utterance normalisation (NONE)
 */
public record LogMelConfig(
        int sampleRate,
        int nFft,
        int hop,
        Window window,
        int nMels,
        double fMin,
        double fMax,
        MelScale melScale,
        MelNorm melNorm,
        double floor,
        FeatureNormalization normalization) {

    /** Checks every field; messages name the field and the value found. */
    public LogMelConfig {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate (" + sampleRate + ") must be positive");
        }
        if (nFft < 2 || nFft % 2 != 0) {
            throw new IllegalArgumentException("nFft (" + nFft + ") must be even and at least 2");
        }
        if (hop <= 0 || hop > nFft) {
            throw new IllegalArgumentException(
                    "hop (" + hop + ") must be in [1, nFft (" + nFft + ")]");
        }
        if (nMels <= 0) {
            throw new IllegalArgumentException("nMels (" + nMels + ") must be positive");
        }
        if (!(fMin >= 0)) {
            throw new IllegalArgumentException("fMin (" + fMin + ") must be >= 0");
        }
        if (!(fMax > fMin) || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException(
                    "fMax ("
                            + fMax
                            + ") must be in (fMin ("
                            + fMin
                            + "), sampleRate / 2 ("
                            + sampleRate / 2.0
                            + ")]");
        }
        if (!(floor > 0)) {
            throw new IllegalArgumentException("floor (" + floor + ") must be positive");
        }
        if (window == null || melScale == null || melNorm == null || normalization == null) {
            throw new IllegalArgumentException(
                    "window, melScale, melNorm and normalization must not be null");
        }
    }

    /** 16 kHz, 25 ms Hann window, 10 ms hop, 64 Slaney mels over 0–8 kHz, floor 1e-10. */
    public static LogMelConfig defaults() {
        return forSampleRate(16_000);
    }

    /**
     * The defaults at another sample rate: 25 ms window (rounded to even), 10 ms hop, {@code fMax =
     * sampleRate / 2}.
     *
     * @param sampleRate the sample rate in Hz
     * @return the configuration
     */
    public static LogMelConfig forSampleRate(int sampleRate) {
        int nFft = 2 * Math.max(1, Math.round(sampleRate * 0.025f / 2));
        int hop = Math.max(1, Math.round(sampleRate * 0.010f));
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                Window.HANN,
                64,
                0,
                sampleRate / 2.0,
                MelScale.SLANEY,
                MelNorm.SLANEY,
                1e-10,
                FeatureNormalization.NONE);
    }

    /** Returns the number of one-sided FFT bins, {@code nFft / 2 + 1}. */
    public int bins() {
        return nFft / 2 + 1;
    }

    /**
     * Returns the number of frames for a clip of {@code samples} samples: {@code 1 + samples /
     * hop}.
     */
    public int frames(int samples) {
        return 1 + samples / hop;
    }

    /** Returns the number of frames of a clip of {@code seconds} seconds. */
    public int frames(double seconds) {
        return frames((int) Math.floor(seconds * sampleRate));
    }

    /** Returns a copy with another {@code nFft}. */
    public LogMelConfig withNFft(int value) {
        return new LogMelConfig(
                sampleRate,
                value,
                hop,
                window,
                nMels,
                fMin,
                fMax,
                melScale,
                melNorm,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code hop}. */
    public LogMelConfig withHop(int value) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                value,
                window,
                nMels,
                fMin,
                fMax,
                melScale,
                melNorm,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code window}. */
    public LogMelConfig withWindow(Window value) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                value,
                nMels,
                fMin,
                fMax,
                melScale,
                melNorm,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code nMels}. */
    public LogMelConfig withNMels(int value) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                window,
                value,
                fMin,
                fMax,
                melScale,
                melNorm,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code fMin} and {@code fMax}. */
    public LogMelConfig withFrequencyRange(double min, double max) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                window,
                nMels,
                min,
                max,
                melScale,
                melNorm,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code melScale}. */
    public LogMelConfig withMelScale(MelScale value) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                window,
                nMels,
                fMin,
                fMax,
                value,
                melNorm,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code melNorm}. */
    public LogMelConfig withMelNorm(MelNorm value) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                window,
                nMels,
                fMin,
                fMax,
                melScale,
                value,
                floor,
                normalization);
    }

    /** Returns a copy with another {@code floor}. */
    public LogMelConfig withFloor(double value) {
        return new LogMelConfig(
                sampleRate,
                nFft,
                hop,
                window,
                nMels,
                fMin,
                fMax,
                melScale,
                melNorm,
                value,
                normalization);
    }

    /** Returns a copy with another {@code normalization}. */
    public LogMelConfig withNormalization(FeatureNormalization value) {
        return new LogMelConfig(
                sampleRate, nFft, hop, window, nMels, fMin, fMax, melScale, melNorm, floor, value);
    }
}
