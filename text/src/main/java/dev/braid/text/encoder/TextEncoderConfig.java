package dev.braid.text.encoder;

import dev.braid.text.transformer.DeepNorm;
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.LayerConfig;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;

/**
 * Everything that shapes a {@link TransformerTextEncoder}. Start from a preset and change what
 * differs with its {@link #toBuilder()}, or build one from {@link #builder()}:
 *
 * <pre>{@code
 * TextEncoderConfig config = TextEncoderConfig.small(tokenizer.vocabularySize())
 *         .toBuilder()
 *         .position(PositionEncoding.ROPE)
 *         .norm(NormKind.RMS_NORM)
 *         .build();
 * }</pre>
 *
 * @param vocabularySize the number of token ids V
 * @param maxLength the longest sequence T the encoder accepts
 * @param width the model width D
 * @param heads attention heads H
 * @param layers the number of Transformer layers
 * @param feedForwardWidth the feed-forward hidden width F
 * @param position how positions are encoded
 * @param norm LayerNorm or RMSNorm
 * @param placement Post-LN, Pre-LN or DeepNorm
 * @param feedForward the feed-forward non-linearity
 * @param attention bidirectional, causal or prefix attention
 * @param prefixLength the prefix length for {@link AttentionPattern#PREFIX}, else 0
 * @param dropout dropout on embeddings, attention weights and residual branches
 * @param attentionWidth the attention's inner width A = H × Dh; 0 (the default) for heads × (width
 *     / heads), the width. Pruning whole heads sets it; a model saved before it existed reads as 0.
 */
public record TextEncoderConfig(
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
        float dropout,
        int attentionWidth) {

    public TextEncoderConfig {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException(
                    "vocabularySize ("
                            + vocabularySize
                            + ") must be positive, e.g. the tokenizer's vocabularySize()");
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException(
                    "maxLength (" + maxLength + ") must be at least 2, to hold [CLS] and [SEP]");
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers (" + layers + ") must be positive");
        }
        if (position == null || attention == null) {
            throw new IllegalArgumentException(
                    "position and attention must be set, found " + position + ", " + attention);
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
                        width,
                        heads,
                        feedForwardWidth,
                        norm,
                        placement,
                        feedForward,
                        dropout,
                        DeepNorm.NONE,
                        attentionWidth);
        if (position == PositionEncoding.ROPE && layer.headWidth() % 2 != 0) {
            throw new IllegalArgumentException(
                    "ROPE needs an even head width, but attention width ("
                            + layer.attentionWidth()
                            + ") / heads ("
                            + heads
                            + ") = "
                            + layer.headWidth());
        }
    }

    /** D=32, 2 heads, 2 layers: for tests and toy tasks. */
    public static TextEncoderConfig tiny(int vocabularySize) {
        return builder()
                .vocabularySize(vocabularySize)
                .maxLength(64)
                .width(32)
                .heads(2)
                .feedForwardWidth(64)
                .dropout(0f)
                .build();
    }

    /** D=64, 4 heads, 2 pre-LN layers: the text side of Braid's default fusion model. */
    public static TextEncoderConfig small(int vocabularySize) {
        return builder().vocabularySize(vocabularySize).build();
    }

    /** D=256, 4 heads, 4 pre-LN layers. */
    public static TextEncoderConfig base(int vocabularySize) {
        return builder()
                .vocabularySize(vocabularySize)
                .maxLength(256)
                .width(256)
                .layers(4)
                .feedForwardWidth(1024)
                .build();
    }

    /**
     * The encoder of the original Transformer (Vaswani et al. 2017) at a small width: sinusoidal
     * positions, ReLU feed-forward, Post-LN, bidirectional. Its decoder is {@code
     * DecoderConfig.originalTransformer}.
     */
    public static TextEncoderConfig originalTransformer(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.SINUSOIDAL)
                .feedForward(FeedForwardKind.RELU)
                .placement(NormPlacement.POST_LN)
                .build();
    }

    /**
     * BERT's shape (Devlin et al. 2019) at a small width: learned absolute positions, GELU,
     * Post-LN, bidirectional; pre-trained by {@link dev.braid.text.pretrain.MaskedLanguageModel}.
     */
    public static TextEncoderConfig bert(int vocabularySize) {
        return tiny(vocabularySize).toBuilder()
                .position(PositionEncoding.LEARNED)
                .feedForward(FeedForwardKind.GELU)
                .placement(NormPlacement.POST_LN)
                .build();
    }

    /**
     * A builder starting from {@link #small}'s fields but the vocabulary size, which must be set.
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
                .dropout(dropout)
                .attentionWidth(attentionWidth);
    }

    /**
     * Returns the configuration of one of the encoder's layers; under DeepNorm, with the scales of
     * an encoder of this depth.
     */
    public LayerConfig layerConfig() {
        return new LayerConfig(
                width,
                heads,
                feedForwardWidth,
                norm,
                placement,
                feedForward,
                dropout,
                placement == NormPlacement.DEEP_NORM ? DeepNorm.encoderOnly(layers) : DeepNorm.NONE,
                attentionWidth);
    }

    /**
     * Builds a {@link TextEncoderConfig}; every field but the vocabulary size starts at its
     * default, and {@link #build()} checks them all.
     */
    public static final class Builder {

        private int vocabularySize;
        private int maxLength = 128;
        private int width = 64;
        private int heads = 4;
        private int layers = 2;
        private int feedForwardWidth = 256;
        private PositionEncoding position = PositionEncoding.SINUSOIDAL;
        private NormKind norm = NormKind.LAYER_NORM;
        private NormPlacement placement = NormPlacement.PRE_LN;
        private FeedForwardKind feedForward = FeedForwardKind.GELU;
        private AttentionPattern attention = AttentionPattern.BIDIRECTIONAL;
        private int prefixLength = 0;
        private float dropout = 0.1f;
        private int attentionWidth = 0;

        private Builder() {}

        /** The number of token ids V; required. */
        public Builder vocabularySize(int vocabularySize) {
            this.vocabularySize = vocabularySize;
            return this;
        }

        /** The longest sequence T the encoder accepts. */
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

        /** The number of Transformer layers. */
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

        /** Post-LN or Pre-LN. */
        public Builder placement(NormPlacement placement) {
            this.placement = placement;
            return this;
        }

        /** The feed-forward non-linearity. */
        public Builder feedForward(FeedForwardKind feedForward) {
            this.feedForward = feedForward;
            return this;
        }

        /** Bidirectional, causal or prefix attention; PREFIX also needs a {@link #prefixLength}. */
        public Builder attention(AttentionPattern attention) {
            this.attention = attention;
            return this;
        }

        /** The prefix length for {@link AttentionPattern#PREFIX}; 0 for the other patterns. */
        public Builder prefixLength(int prefixLength) {
            this.prefixLength = prefixLength;
            return this;
        }

        /** Dropout on embeddings, attention weights and residual branches. */
        public Builder dropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * The attention's inner width A = H × Dh; 0 for the width. Heads × head width, so a model
         * with pruned heads is {@code keptHeads × (width / heads)}.
         */
        public Builder attentionWidth(int attentionWidth) {
            this.attentionWidth = attentionWidth;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first field out of range and its value
         */
        public TextEncoderConfig build() {
            return new TextEncoderConfig(
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
                    dropout,
                    attentionWidth);
        }
    }
}
