package dev.braid.audio.augment;

import dev.braid.audio.signal.Waveform;
import java.util.random.RandomGenerator;

/**
 * Adds white Gaussian noise at a signal-to-noise ratio drawn uniformly from {@code [minSnrDb,
 * maxSnrDb]}. The noise is scaled so that the clip's power over the added noise's power is exactly
 * that ratio. A silent clip (power 0) is returned unchanged, since no SNR is defined for it.
 *
 * @param minSnrDb lowest SNR in dB
 * @param maxSnrDb highest SNR in dB, at least {@code minSnrDb}
 */
public record AdditiveNoise(double minSnrDb, double maxSnrDb) implements WaveformAugmentation {

    /** Checks the range. */
    public AdditiveNoise {
        if (!(maxSnrDb >= minSnrDb) || !Double.isFinite(minSnrDb) || !Double.isFinite(maxSnrDb)) {
            throw new IllegalArgumentException(
                    "SNR range [" + minSnrDb + ", " + maxSnrDb + "] dB must be finite and ordered");
        }
    }

    /** Noise at exactly {@code snrDb}. */
    public static AdditiveNoise atSnr(double snrDb) {
        return new AdditiveNoise(snrDb, snrDb);
    }

    @Override
    public Waveform apply(Waveform waveform, RandomGenerator rng) {
        float[] x = waveform.samples();
        double snrDb = minSnrDb + (maxSnrDb - minSnrDb) * rng.nextDouble();
        double signalPower = meanSquare(x);
        if (signalPower == 0 || x.length == 0) {
            return new Waveform(x.clone(), waveform.sampleRate());
        }
        double[] noise = new double[x.length];
        double noisePower = 0;
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextGaussian();
            noisePower += noise[i] * noise[i] / noise.length;
        }
        double scale = Math.sqrt(signalPower / Math.pow(10, snrDb / 10) / noisePower);
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (x[i] + scale * noise[i]);
        }
        return new Waveform(y, waveform.sampleRate());
    }

    private static double meanSquare(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return x.length == 0 ? 0 : sum / x.length;
    }
}
