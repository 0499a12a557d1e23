package dev.braid.audio.features;

/** Maps between Hz and mels. */
public enum MelScale {
    /** HTK: {@code mel = 2595 log10(1 + f / 700)}. */
    HTK {
        @Override
        public double toMel(double hz) {
            return 2595 * Math.log10(1 + hz / 700);
        }

        @Override
        public double toHz(double mel) {
            return 700 * (Math.pow(10, mel / 2595) - 1);
        }
    },
    /**
     * Slaney (Auditory Toolbox, librosa's default): linear below 1 kHz ({@code 3f / 200}),
     * logarithmic above with 27 mels per factor 6.4.
     */
    SLANEY {
        @Override
        public double toMel(double hz) {
            return hz < BREAK_HZ
                    ? hz / LINEAR_HZ_PER_MEL
                    : BREAK_MEL + Math.log(hz / BREAK_HZ) / LOG_STEP;
        }

        @Override
        public double toHz(double mel) {
            return mel < BREAK_MEL
                    ? mel * LINEAR_HZ_PER_MEL
                    : BREAK_HZ * Math.exp(LOG_STEP * (mel - BREAK_MEL));
        }
    };

    private static final double BREAK_HZ = 1000;
    private static final double LINEAR_HZ_PER_MEL = 200.0 / 3;
    private static final double BREAK_MEL = BREAK_HZ / LINEAR_HZ_PER_MEL;
    private static final double LOG_STEP = Math.log(6.4) / 27;

    /**
     * Converts a frequency to mels.
     *
     * @param hz frequency in Hz, non-negative
     * @return the mel value
     */
    public abstract double toMel(double hz);

    /**
     * Converts mels to a frequency.
     *
     * @param mel the mel value
     * @return frequency in Hz
     */
    public abstract double toHz(double mel);
}
