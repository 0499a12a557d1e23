package dev.braid.text.encoder;

/** How the text encoder tells positions apart. */
public enum PositionEncoding {
    /** Fixed sines and cosines added to the embeddings (Vaswani et al.). */
    SINUSOIDAL,
    /** A learned vector per absolute position added to the embeddings (BERT, GPT-2). */
    LEARNED,
    /** Queries and keys rotated by position inside every attention (RoFormer, LLaMA). */
    ROPE,
    /** A per-head linear distance penalty on attention scores (Press et al.). */
    ALIBI
}
