package dev.braid.audio.signal;

import be.tarsos.dsp.resample.Resampler;
import java.util.Arrays;

/**
 * Changes the sample rate of a waveform with TarsosDSP's band-limited (windowed sinc) resampler,
 * high-quality filter. The output has {@code round(length × target / source)} samples and keeps the
 * frequencies below the lower Nyquist limit.
 */
public final class SampleRateConverter {

    /** TarsosDSP's resampler accepts factors in this range. */
    private static final double MIN_FACTOR = 1.0 / 256;

    private static final double MAX_FACTOR = 256;

    private SampleRateConverter() {}

    /**
     * Resamples {@code waveform} to {@code targetRate}; returns it unchanged if it already has that
     * rate.
     *
     * @param waveform the input
     * @param targetRate the wanted sample rate in Hz
     * @return a waveform at {@code targetRate}
     * @throws IllegalArgumentException if the ratio of the rates is outside [1/256, 256]
     */
    public static Waveform convert(Waveform waveform, int targetRate) {
        if (targetRate <= 0) {
            throw new IllegalArgumentException("targetRate (" + targetRate + ") must be positive");
        }
        if (waveform.sampleRate() == targetRate) {
            return waveform;
        }
        double factor = targetRate / (double) waveform.sampleRate();
        if (factor < MIN_FACTOR || factor > MAX_FACTOR) {
            throw new IllegalArgumentException(
                    "resampling "
                            + waveform.sampleRate()
                            + " Hz to "
                            + targetRate
                            + " Hz needs factor "
                            + factor
                            + ", outside [1/256, 256]");
        }
        float[] in = waveform.samples();
        int outLength = (int) Math.round(in.length * factor);
        float[] out = new float[outLength];
        Resampler resampler = new Resampler(true, factor, factor);
        int consumed = 0;
        int produced = 0;
        // The resampler may need several calls to drain its filter memory on the last batch.
        for (int guard = 0; produced < outLength && guard < 64; guard++) {
            Resampler.Result result =
                    resampler.process(
                            factor,
                            in,
                            consumed,
                            in.length - consumed,
                            true,
                            out,
                            produced,
                            outLength - produced);
            consumed += result.inputSamplesConsumed;
            produced += result.outputSamplesGenerated;
            if (result.inputSamplesConsumed == 0 && result.outputSamplesGenerated == 0) {
                break;
            }
        }
        float[] samples = produced == outLength ? out : Arrays.copyOf(out, outLength);
        return new Waveform(samples, targetRate);
    }
}
