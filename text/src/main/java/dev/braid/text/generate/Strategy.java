package dev.braid.text.generate;

/** How the next token is chosen from the processed logits. */
public enum Strategy {
    /** The most likely token, every step. */
    GREEDY,
    /**
     * A token drawn from the distribution after temperature, top-k, top-p and min-p, from a seeded
     * stream per sequence.
     */
    SAMPLE,
    /** The best-scoring of {@code beamWidth} partial sequences kept at every step. */
    BEAM
}
