package dev.braid.text.transformer;

/** Where a Transformer layer normalises relative to its residual connections. */
public enum NormPlacement {
    /** {@code x = norm(x + f(x))}: the original Transformer and BERT. */
    POST_LN,
    /**
     * {@code x = x + f(norm(x))}, with one more norm after the last layer: GPT-2 and LLaMA. Trains
     * stably without warm-up.
     */
    PRE_LN
}
