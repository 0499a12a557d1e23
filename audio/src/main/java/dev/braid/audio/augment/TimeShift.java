package dev.braid.audio.augment;

import dev.braid.audio.signal.Waveform;
import java.util.random.RandomGenerator;

/**
 * Shifts the clip by a whole number of samples drawn uniformly from {@code [-max, max]}, {@code max
 * = round(maxSeconds × sampleRate)}. A positive shift delays the clip (zeros in front, the end
 * dropped); a negative one advances it (start dropped, zeros at the end). Length is unchanged.
 *
 * @param maxSeconds the largest shift in seconds, non-negative
 */
public record TimeShift(double maxSeconds) implements WaveformAugmentation {

    /** Checks the range. */
    public TimeShift {
        if (!(maxSeconds >= 0) || !Double.isFinite(maxSeconds)) {
            throw new IllegalArgumentException(
                    "maxSeconds (" + maxSeconds + ") must be finite and >= 0");
        }
    }

    @Override
    public Waveform apply(Waveform waveform, RandomGenerator rng) {
        int max = (int) Math.round(maxSeconds * waveform.sampleRate());
        int shift = max == 0 ? 0 : rng.nextInt(-max, max + 1);
        float[] x = waveform.samples();
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            int from = i - shift;
            y[i] = from >= 0 && from < x.length ? x[from] : 0f;
        }
        return new Waveform(y, waveform.sampleRate());
    }
}
