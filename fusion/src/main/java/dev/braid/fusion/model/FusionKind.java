package dev.braid.fusion.model;

/** Which fusion joins the modalities. */
public enum FusionKind {
    /** Each modality's tokens attend to every other modality's tokens (MulT). The default. */
    PAIRWISE,
    /** A few learned latent queries attend to all tokens of all modalities (Perceiver). */
    LATENT,
    /** Pairwise cross-attention added through tanh gates that start at zero (Flamingo). */
    GATED,
    /** Baseline: pooled vectors concatenated, then an MLP. */
    EARLY,
    /** Baseline: one head per modality, logits averaged over the modalities present. */
    LATE,
    /** Baseline: the gated multimodal unit (Arevalo et al.), a learned softmax over modalities. */
    GATED_UNIT;

    /**
     * Returns whether this kind is a cross-attention fusion: {@link PairwiseCrossAttentionFusion}
     * (PAIRWISE, GATED) or {@link LatentCrossAttentionFusion} (LATENT).
     */
    public boolean crossAttention() {
        return this == PAIRWISE || this == LATENT || this == GATED;
    }
}
