package dev.braid.text.decoder;

/** Whether a {@link TransformerDecoder}'s layers read a memory. */
public enum CrossAttention {
    /** No cross-attention blocks: a decoder-only language model (GPT-2, LLaMA, Bloom). */
    NONE,
    /**
     * Every layer attends to the memory after its self-attention (the original Transformer's
     * decoder); without a memory the block is skipped, so the decoder still runs as a plain LM.
     */
    EVERY_LAYER
}
