package dev.braid.audio.features;

/** Optional normalisation applied to each utterance's features. */
public enum FeatureNormalization {
    /** Features are left as computed. */
    NONE,
    /**
     * Each feature row (mel band) is shifted and scaled to mean 0 and variance 1 over the
     * utterance's real frames. A constant row (e.g. silence) becomes all zeros.
     */
    PER_UTTERANCE
}
