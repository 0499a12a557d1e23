package dev.braid.text.transformer;

/** Where a Transformer layer normalises relative to its residual connections. */
public enum NormPlacement {
    /** {@code x = norm(x + f(x))}: the original Transformer and BERT. */
    POST_LN,
    /**
     * {@code x = x + f(norm(x))}, with one more norm after the last layer: GPT-2 and LLaMA. Trains
     * stably without warm-up.
     */
    PRE_LN,
    /**
     * DeepNorm (Wang et al., "DeepNet: Scaling Transformers to 1,000 Layers"): Post-LN with the
     * residual scaled up, {@code x = norm(alpha x + f(x))}, and the value, output and feed-forward
     * weights initialised scaled down by beta; alpha and beta come from the depth ({@link
     * DeepNorm}). GLM and ChatGLM use it. Like Post-LN, no norm after the last layer.
     */
    DEEP_NORM
}
