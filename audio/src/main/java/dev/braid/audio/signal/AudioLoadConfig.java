package dev.braid.audio.signal;

/**
 * How audio is decoded: the sample rate it is converted to and how much of it is read.
 *
 * @param targetSampleRate the rate every loaded waveform has, in Hz (default 16000)
 * @param maxSeconds at most this many seconds are read from the start of a file; the rest is never
 *     read, so a 2-hour file costs no more than {@code maxSeconds} of samples (default 30)
 */
public record AudioLoadConfig(int targetSampleRate, double maxSeconds) {

    /** Checks both values. */
    public AudioLoadConfig {
        if (targetSampleRate < 1000 || targetSampleRate > 384_000) {
            throw new IllegalArgumentException(
                    "targetSampleRate (" + targetSampleRate + ") must be in [1000, 384000] Hz");
        }
        if (!(maxSeconds > 0) || maxSeconds > 3600) {
            throw new IllegalArgumentException(
                    "maxSeconds (" + maxSeconds + ") must be in (0, 3600]");
        }
    }

    /** 16 kHz, at most 30 seconds. */
    public static AudioLoadConfig defaults() {
        return new AudioLoadConfig(16_000, 30);
    }

    /** Returns a copy with another target sample rate. */
    public AudioLoadConfig withTargetSampleRate(int rate) {
        return new AudioLoadConfig(rate, maxSeconds);
    }

    /** Returns a copy with another cap on the duration read. */
    public AudioLoadConfig withMaxSeconds(double seconds) {
        return new AudioLoadConfig(targetSampleRate, seconds);
    }
}
