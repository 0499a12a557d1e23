package dev.braid.fusion.model;

/** What a {@link ReplyHead}'s decoder attends to: the fused ticket, in one of two forms. */
public enum ReplyMemory {
    /**
     * Every modality's encoder tokens, each projected by a map of its own and concatenated with
     * their masks: the most detail, and the text's token ids to copy.
     */
    ENCODER_TOKENS,

    /**
     * The fusion block's output vectors {@code [B, K, D]} (one per modality, or per latent), with
     * their weights' mask: what the classification heads read, already fused, but nothing to copy.
     */
    FUSION_OUTPUT
}
