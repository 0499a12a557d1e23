package dev.braid.audio.augment;

import dev.braid.audio.signal.Waveform;
import java.util.random.RandomGenerator;

/**
 * Multiplies the clip by {@code 10^(g / 20)}, g drawn uniformly from {@code [minDb, maxDb]}.
 * Samples are not clipped.
 *
 * @param minDb lowest gain in dB
 * @param maxDb highest gain in dB, at least {@code minDb}
 */
public record RandomGain(double minDb, double maxDb) implements WaveformAugmentation {

    /** Checks the range. */
    public RandomGain {
        if (!(maxDb >= minDb) || !Double.isFinite(minDb) || !Double.isFinite(maxDb)) {
            throw new IllegalArgumentException(
                    "gain range [" + minDb + ", " + maxDb + "] dB must be finite and ordered");
        }
    }

    @Override
    public Waveform apply(Waveform waveform, RandomGenerator rng) {
        double gainDb = minDb + (maxDb - minDb) * rng.nextDouble();
        float gain = (float) Math.pow(10, gainDb / 20);
        float[] x = waveform.samples();
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] * gain;
        }
        return new Waveform(y, waveform.sampleRate());
    }
}
