package dev.braid.text.encoder;

/** Which positions each position may attend to, on top of the key padding mask. */
public enum AttentionPattern {
    /** Every position sees every real position (BERT). */
    BIDIRECTIONAL,
    /** Position t sees positions up to t only (GPT). */
    CAUSAL,
    /**
     * The first {@code prefixLength} positions see each other; later ones are causal (T5's prefix
     * LM).
     */
    PREFIX
}
