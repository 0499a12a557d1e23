package dev.braid.audio.features;

/**
 * How a waveform becomes a log-mel spectrogram. Build one with {@link #builder()}, where the
 * window, hop and top frequency follow the sample rate unless set, or change a copy with {@link
 * #toBuilder()}:
 *
 * <pre>{@code
 * LogMelConfig config = LogMelConfig.builder().sampleRate(8000).nMels(40).build();
 * LogMelConfig htk = config.toBuilder().melScale(MelScale.HTK).build();
 * }</pre>
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
        return builder().build();
    }

    /**
     * The defaults at another sample rate: 25 ms window (rounded to even), 10 ms hop, {@code fMax =
     * sampleRate / 2}.
     *
     * @param sampleRate the sample rate in Hz
     * @return the configuration
     */
    public static LogMelConfig forSampleRate(int sampleRate) {
        return builder().sampleRate(sampleRate).build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration, for a copy that differs in a few fields. Every
     * field is copied as it is, the window, hop and top frequency included: to change the sample
     * rate and have them follow it, start from {@link #builder()}.
     */
    public Builder toBuilder() {
        return builder()
                .sampleRate(sampleRate)
                .nFft(nFft)
                .hop(hop)
                .window(window)
                .nMels(nMels)
                .fMin(fMin)
                .fMax(fMax)
                .melScale(melScale)
                .melNorm(melNorm)
                .floor(floor)
                .normalization(normalization);
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

    /**
     * Builds a {@link LogMelConfig}; every field starts at its default, and {@link #build()} checks
     * them all. The window, hop and top frequency, unless set, follow the sample rate: 25 ms
     * (rounded to an even number of samples), 10 ms and half the sample rate.
     */
    public static final class Builder {

        private int sampleRate = 16_000;
        private Integer nFft; // null: 25 ms at the sample rate
        private Integer hop; // null: 10 ms at the sample rate
        private Window window = Window.HANN;
        private int nMels = 64;
        private double fMin = 0;
        private Double fMax; // null: half the sample rate
        private MelScale melScale = MelScale.SLANEY;
        private MelNorm melNorm = MelNorm.SLANEY;
        private double floor = 1e-10;
        private FeatureNormalization normalization = FeatureNormalization.NONE;

        private Builder() {}

        /** Sample rate of the input waveform in Hz. */
        public Builder sampleRate(int sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        /** FFT and window length in samples; even. */
        public Builder nFft(int nFft) {
            this.nFft = nFft;
            return this;
        }

        /** Frame step in samples. */
        public Builder hop(int hop) {
            this.hop = hop;
            return this;
        }

        /** Analysis window. */
        public Builder window(Window window) {
            this.window = window;
            return this;
        }

        /** Number of mel bands. */
        public Builder nMels(int nMels) {
            this.nMels = nMels;
            return this;
        }

        /** Lowest filter edge in Hz. */
        public Builder fMin(double fMin) {
            this.fMin = fMin;
            return this;
        }

        /** Highest filter edge in Hz, at most {@code sampleRate / 2}. */
        public Builder fMax(double fMax) {
            this.fMax = fMax;
            return this;
        }

        /** Hz↔mel mapping. */
        public Builder melScale(MelScale melScale) {
            this.melScale = melScale;
            return this;
        }

        /** Filter scaling. */
        public Builder melNorm(MelNorm melNorm) {
            this.melNorm = melNorm;
            return this;
        }

        /** Power below this is clamped before the log. */
        public Builder floor(double floor) {
            this.floor = floor;
            return this;
        }

        /** Per-utterance normalisation. */
        public Builder normalization(FeatureNormalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first field out of range and its value
         */
        public LogMelConfig build() {
            return new LogMelConfig(
                    sampleRate,
                    nFft != null ? nFft : 2 * Math.max(1, Math.round(sampleRate * 0.025f / 2)),
                    hop != null ? hop : Math.max(1, Math.round(sampleRate * 0.010f)),
                    window,
                    nMels,
                    fMin,
                    fMax != null ? fMax : sampleRate / 2.0,
                    melScale,
                    melNorm,
                    floor,
                    normalization);
        }
    }
}
