package dev.braid.audio.augment;

import dev.braid.audio.signal.Waveform;
import java.util.random.RandomGenerator;

/**
 * A random change to a training waveform. Deterministic given the generator's state: the same seed
 * gives the same result. The input is never modified.
 */
public sealed interface WaveformAugmentation permits AdditiveNoise, RandomGain, TimeShift {

    /**
     * Applies the augmentation.
     *
     * @param waveform the clip
     * @param rng the source of randomness, e.g. {@code new SplittableRandom(seed)}
     * @return a new waveform of the same length and sample rate
     */
    Waveform apply(Waveform waveform, RandomGenerator rng);
}
