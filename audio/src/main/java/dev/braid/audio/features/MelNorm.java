package dev.braid.audio.features;

/** How each triangular mel filter is scaled. */
public enum MelNorm {
    /** Peak 1: inside the filterbank's range the filters at any frequency sum to 1. */
    NONE,
    /** Area 1 (in Hz): each filter is divided by half its width, {@code 2 / (f_hi − f_lo)}. */
    SLANEY
}
