package dev.braid.text.decoder;

import dev.braid.text.encoder.AttentionPattern;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.transformer.DeepNorm;
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.LayerConfig;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;

/**
 * Everything that shapes a {@link TransformerDecoder}. Start from a preset (the architectures of
 * the Transformer family at toy widths: {@link #gpt2}, {@link #llama}, {@link #chatGlm}, {@link
 * #bloom}, {@link #originalTransformer}) and change what differs with {@link #toBuilder()}:
 *
 * <pre>{@code
 * DecoderConfig config = DecoderConfig.llama(tokenizer.vocabularySize()).toBuilder()
 *         .crossAttention(CrossAttention.EVERY_LAYER) // read a fused memory
 *         .maxLength(96)
 *         .build();
 * }</pre>
 *
 * @param vocabularySize the number of token ids V
 * @param maxLength the longest sequence T (prompt and generated tokens together)
 * @param width the model width D; a memory must have this width too
 * @param heads attention heads H
 * @param layers the number of decoder layers
 * @param feedForwardWidth the feed-forward hidden width F
 * @param position how positions are encoded
 * @param norm LayerNorm or RMSNorm
 * @param placement Post-LN, Pre-LN or DeepNorm
 * @param feedForward the feed-forward non-linearity
 * @param attention CAUSAL, or PREFIX: the first {@code prefixLength} positions see each other
 * @param prefixLength the prefix length for {@link AttentionPattern#PREFIX}, else 0
 * @param crossAttention whether the layers attend to a memory
 * @param dropout dropout on embeddings, attention weights and residual branches
 * @param copyFromMemory whether the decoder may also copy a token the memory holds ({@link
 *     MemoryCopy}); it then outputs log-probabilities, which read as logits
 */
public record DecoderConfig(
        int vocabularySize,
        int maxLength,
        int width,
        int heads,
        int layers,
        int feedForwardWidth,
        PositionEncoding position,
        NormKind norm,
        NormPlacement placement,
        FeedForwardKind feedForward,
        AttentionPattern attention,
        int prefixLength,
        CrossAttention crossAttention,
        float dropout,
        boolean copyFromMemory) {

    public DecoderConfig {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException(
                    "vocabularySize ("
                            + vocabularySize
                            + ") must be positive, e.g. the tokenizer's vocabularySize()");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength (" + maxLength + ") must be positive");
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers (" + layers + ") must be positive");
        }
        if (position == null || crossAttention == null) {
            throw new IllegalArgumentException(
                    "position and crossAttention must be set, found "
                            + position
                            + ", "
                            + crossAttention);
        }
        if (attention != AttentionPattern.CAUSAL && attention != AttentionPattern.PREFIX) {
            throw new IllegalArgumentException(
                    "attention ("
                            + attention
                            + ") must be CAUSAL or PREFIX: a decoder cannot see the tokens it"
                            + " is to predict");
        }
        if (attention == AttentionPattern.PREFIX
                ? prefixLength < 1 || prefixLength > maxLength
                : prefixLength != 0) {
            throw new IllegalArgumentException(
                    "prefixLength ("
                            + prefixLength
                            + ") must be in [1, maxLength] for PREFIX attention and 0 otherwise");
        }
        LayerConfig layer =
                new LayerConfig(
                        width, heads, feedForwardWidth, norm, placement, feedForward, dropout);
        if (position == PositionEncoding.ROPE && layer.headWidth() % 2 != 0) {
            throw new IllegalArgumentException(
                    "ROPE needs an even head width, but width ("
                            + width
                            + ") / heads ("
                            + heads
                            + ") = "
                            + layer.headWidth());
        }
        if (copyFromMemory && crossAttention == CrossAttention.NONE) {
            throw new IllegalArgumentException(
                    "copyFromMemory needs a memory: set crossAttention to EVERY_LAYER");
        }
        if (position == PositionEncoding.SINUSOIDAL && width % 2 != 0) {
            throw new IllegalArgumentException(
                    "SINUSOIDAL positions need an even width, found " + width);
        }
    }

    /** D=32, 2 heads, 2 Pre-LN causal layers, GELU, learned positions, no dropout: for tests. */
    public static DecoderConfig tiny(int vocabularySize) {
        return builder().vocabularySize(vocabularySize).build();
    }

    /**
     * The original Transformer's decoder (Vaswani et al. 2017): sinusoidal positions, ReLU,
     * Post-LN, cross-attention over the encoder ({@code TextEncoderConfig.originalTransformer}).
     */
    public static DecoderConfig originalTransformer(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.SINUSOIDAL)
                .feedForward(FeedForwardKind.RELU)
                .placement(NormPlacement.POST_LN)
                .crossAttention(CrossAttention.EVERY_LAYER)
                .build();
    }

    /** GPT-2 (Radford et al. 2019): causal, learned positions, GELU, Pre-LN, tied output. */
    public static DecoderConfig gpt2(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.LEARNED)
                .feedForward(FeedForwardKind.GELU)
                .placement(NormPlacement.PRE_LN)
                .build();
    }

    /** LLaMA (Touvron et al. 2023): causal, RoPE, SwiGLU, Pre-RMSNorm. */
    public static DecoderConfig llama(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.ROPE)
                .feedForward(FeedForwardKind.SWIGLU)
                .norm(NormKind.RMS_NORM)
                .placement(NormPlacement.PRE_LN)
                .build();
    }

    /**
     * ChatGLM (GLM, Du et al. 2022; Zeng et al. 2023): a prefix decoder (the first {@code
     * prefixLength} = 4 positions, the prompt, see each other), RoPE, GeGLU, DeepNorm.
     */
    public static DecoderConfig chatGlm(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.ROPE)
                .feedForward(FeedForwardKind.GEGLU)
                .placement(NormPlacement.DEEP_NORM)
                .attention(AttentionPattern.PREFIX)
                .prefixLength(4)
                .build();
    }

    /** Bloom (BigScience 2022): causal, ALiBi, GELU, Pre-LN. */
    public static DecoderConfig bloom(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.ALIBI)
                .feedForward(FeedForwardKind.GELU)
                .placement(NormPlacement.PRE_LN)
                .build();
    }

    /**
     * A builder starting from {@link #tiny}'s fields but the vocabulary size, which must be set.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration, for a copy that differs in a few fields. */
    public Builder toBuilder() {
        return builder()
                .vocabularySize(vocabularySize)
                .maxLength(maxLength)
                .width(width)
                .heads(heads)
                .layers(layers)
                .feedForwardWidth(feedForwardWidth)
                .position(position)
                .norm(norm)
                .placement(placement)
                .feedForward(feedForward)
                .attention(attention)
                .prefixLength(prefixLength)
                .crossAttention(crossAttention)
                .dropout(dropout)
                .copyFromMemory(copyFromMemory);
    }

    /**
     * Returns the configuration of one decoder layer; under DeepNorm, with the DeepNet scales of a
     * decoder of this depth (decoder-only, or the decoder of an encoder-decoder).
     */
    public LayerConfig layerConfig() {
        DeepNorm deepNorm = DeepNorm.NONE;
        if (placement == NormPlacement.DEEP_NORM) {
            deepNorm =
                    crossAttention == CrossAttention.NONE
                            ? DeepNorm.decoderOnly(layers)
                            : DeepNorm.decoderOfEncoderDecoder(layers);
        }
        return new LayerConfig(
                width, heads, feedForwardWidth, norm, placement, feedForward, dropout, deepNorm);
    }

    /**
     * Builds a {@link DecoderConfig}; every field but the vocabulary size starts at its default,
     * and {@link #build()} checks them all.
     */
    public static final class Builder {

        private int vocabularySize;
        private int maxLength = 64;
        private int width = 32;
        private int heads = 2;
        private int layers = 2;
        private int feedForwardWidth = 64;
        private PositionEncoding position = PositionEncoding.LEARNED;
        private NormKind norm = NormKind.LAYER_NORM;
        private NormPlacement placement = NormPlacement.PRE_LN;
        private FeedForwardKind feedForward = FeedForwardKind.GELU;
        private AttentionPattern attention = AttentionPattern.CAUSAL;
        private int prefixLength = 0;
        private CrossAttention crossAttention = CrossAttention.NONE;
        private float dropout = 0f;
        private boolean copyFromMemory = false;

        private Builder() {}

        /** The number of token ids V; required. */
        public Builder vocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /** The longest sequence T, prompt and generated tokens together. */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** The model width D. */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** Attention heads H. */
        public Builder heads(int heads) {
            this.heads = heads;
            return this;
        }

        /** The number of decoder layers. */
        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        /** The feed-forward hidden width F. */
        public Builder feedForwardWidth(int feedForwardWidth) {
            this.feedForwardWidth = feedForwardWidth;
            return this;
        }

        /** How positions are encoded. */
        public Builder position(PositionEncoding position) {
            this.position = position;
            return this;
        }

        /** LayerNorm or RMSNorm. */
        public Builder norm(NormKind norm) {
            this.norm = norm;
            return this;
        }

        /** Post-LN, Pre-LN or DeepNorm. */
        public Builder placement(NormPlacement placement) {
            this.placement = placement;
            return this;
        }

        /** The feed-forward non-linearity. */
        public Builder feedForward(FeedForwardKind feedForward) {
            this.feedForward = feedForward;
            return this;
        }

        /** CAUSAL or PREFIX; PREFIX also needs a {@link #prefixLength}. */
        public Builder attention(AttentionPattern attention) {
            this.attention = attention;
            return this;
        }

        /** The prefix length for {@link AttentionPattern#PREFIX}; 0 for CAUSAL. */
        public Builder prefixLength(int prefixLength) {
            this.prefixLength = prefixLength;
            return this;
        }

        /** Whether the layers attend to a memory. */
        public Builder crossAttention(CrossAttention crossAttention) {
            this.crossAttention = crossAttention;
            return this;
        }

        /** Dropout on embeddings, attention weights and residual branches. */
        public Builder dropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Whether the decoder may copy a token the memory holds; needs cross-attention. */
        public Builder copyFromMemory(boolean copyFromMemory) {
            this.copyFromMemory = copyFromMemory;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first field out of range and its value
         */
        public DecoderConfig build() {
            return new DecoderConfig(
                    vocabularySize,
                    maxLength,
                    width,
                    heads,
                    layers,
                    feedForwardWidth,
                    position,
                    norm,
                    placement,
                    feedForward,
                    attention,
                    prefixLength,
                    crossAttention,
                    dropout,
                    copyFromMemory);
        }
    }
}
