package dev.braid.text.transformer;

/** The non-linearity of a {@link FeedForward} block. */
public enum FeedForwardKind {
    /** {@code W2 relu(W1 x)}. */
    RELU,
    /** {@code W2 gelu(W1 x)}: BERT, GPT-2. */
    GELU,
    /** {@code W2 (silu(Wg x) * (W1 x))}: LLaMA (Shazeer, "GLU Variants Improve Transformer"). */
    SWIGLU,
    /** {@code W2 (gelu(Wg x) * (W1 x))}. */
    GEGLU;

    /** Returns whether the block has a gate projection (the GLU variants). */
    public boolean gated() {
        return this == SWIGLU || this == GEGLU;
    }
}
