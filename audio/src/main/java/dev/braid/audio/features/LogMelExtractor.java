package dev.braid.audio.features;

import dev.braid.audio.signal.RealFft;
import dev.braid.audio.signal.Waveform;

/**
 * Turns a waveform into a log-mel spectrogram, {@code [M][F]}: M = {@code nMels} rows, F = {@code 1
 * + samples / hop} frames, {@code ln(max(floor, mel power))}, then the configured normalisation.
 * Thread-safe; the filterbank and window are built once.
 *
 * <pre>{@code
 * LogMelExtractor logMel = new LogMelExtractor(LogMelConfig.defaults());
 * Features f = logMel.extract(clip).fit(logMel.config().frames(10.0)); // (64, 1001)
 * }</pre>
 */
public final class LogMelExtractor {

    private final LogMelConfig config;
    private final Stft stft;
    private final MelFilterbank filterbank;

    /**
     * Creates an extractor.
     *
     * @param config the feature settings
     */
    public LogMelExtractor(LogMelConfig config) {
        this.config = config;
        this.stft = new Stft(config.nFft(), config.hop(), config.window());
        this.filterbank = new MelFilterbank(config);
    }

    /** Returns the configuration. */
    public LogMelConfig config() {
        return config;
    }

    /** Returns the mel filterbank in use. */
    public MelFilterbank filterbank() {
        return filterbank;
    }

    /**
     * Computes the log-mel spectrogram. A single sample gives one frame; silence gives {@code
     * ln(floor)} everywhere (or 0 with per-utterance normalisation).
     *
     * @param waveform samples at {@code config.sampleRate()}
     * @return features with M rows and all F frames real
     * @throws IllegalArgumentException if the sample rate differs from the configuration's or the
     *     waveform is empty
     */
    public Features extract(Waveform waveform) {
        if (waveform.sampleRate() != config.sampleRate()) {
            throw new IllegalArgumentException(
                    "waveform sampleRate ("
                            + waveform.sampleRate()
                            + ") differs from LogMelConfig.sampleRate ("
                            + config.sampleRate()
                            + "); resample it first (SampleRateConverter)");
        }
        if (waveform.length() == 0) {
            throw new IllegalArgumentException("waveform has no samples");
        }
        float[] samples = waveform.samples();
        int frames = stft.frames(samples.length);
        int mels = filterbank.mels();
        float[][] out = new float[mels][frames];
        RealFft fft = stft.newFft();
        float[] frame = new float[config.nFft()];
        float[] power = new float[fft.bins()];
        double floor = config.floor();
        for (int t = 0; t < frames; t++) {
            stft.fillFrame(samples, t, frame);
            fft.power(frame, power);
            for (int m = 0; m < mels; m++) {
                out[m][t] = (float) Math.log(Math.max(floor, filterbank.apply(m, power)));
            }
        }
        Features features = new Features(out, frames);
        return config.normalization() == FeatureNormalization.PER_UTTERANCE
                ? features.normalized()
                : features;
    }
}
