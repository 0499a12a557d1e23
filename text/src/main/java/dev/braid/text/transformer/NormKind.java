package dev.braid.text.transformer;

/** How a {@link Norm} normalises the last axis. */
public enum NormKind {
    /** Subtract the mean, divide by the standard deviation, then scale and shift (Ba et al.). */
    LAYER_NORM,
    /** Divide by the root mean square, then scale; no centring, no shift (Zhang & Sennrich). */
    RMS_NORM
}
