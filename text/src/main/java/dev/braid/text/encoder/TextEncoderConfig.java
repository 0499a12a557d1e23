package dev.braid.text.encoder;

import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.LayerConfig;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;

/**
 * Everything that shapes a {@link TransformerTextEncoder}. Start from a preset and change one thing
 * with a {@code with...} method:
 *
 * <pre>{@code
 * TextEncoderConfig config = TextEncoderConfig.small(tokenizer.vocabularySize())
 *         .withPosition(PositionEncoding.ROPE)
 *         .withNorm(NormKind.RMS_NORM);
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
 * @param placement Post-LN or Pre-LN
 * @param feedForward the feed-forward non-linearity
 * @param attention bidirectional, causal or prefix attention
 * @param prefixLength the prefix length for {@link AttentionPattern#PREFIX}, else 0
 * @param dropout dropout on embeddings, attention weights and residual branches
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
        float dropout) {

    public TextEncoderConfig {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException(
                    "vocabularySize (" + vocabularySize + ") must be positive");
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
    }

    /** D=32, 2 heads, 2 layers: for tests and toy tasks. */
    public static TextEncoderConfig tiny(int vocabularySize) {
        return new TextEncoderConfig(
                vocabularySize,
                64,
                32,
                2,
                2,
                64,
                PositionEncoding.SINUSOIDAL,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN,
                FeedForwardKind.GELU,
                AttentionPattern.BIDIRECTIONAL,
                0,
                0f);
    }

    /** D=64, 4 heads, 2 pre-LN layers: the text side of Braid's default fusion model. */
    public static TextEncoderConfig small(int vocabularySize) {
        return new TextEncoderConfig(
                vocabularySize,
                128,
                64,
                4,
                2,
                256,
                PositionEncoding.SINUSOIDAL,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN,
                FeedForwardKind.GELU,
                AttentionPattern.BIDIRECTIONAL,
                0,
                0.1f);
    }

    /** D=256, 4 heads, 4 pre-LN layers. */
    public static TextEncoderConfig base(int vocabularySize) {
        return new TextEncoderConfig(
                vocabularySize,
                256,
                256,
                4,
                4,
                1024,
                PositionEncoding.SINUSOIDAL,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN,
                FeedForwardKind.GELU,
                AttentionPattern.BIDIRECTIONAL,
                0,
                0.1f);
    }

    /** Returns the configuration of one of the encoder's layers. */
    public LayerConfig layerConfig() {
        return new LayerConfig(
                width, heads, feedForwardWidth, norm, placement, feedForward, dropout);
    }

    public TextEncoderConfig withPosition(PositionEncoding p) {
        return new TextEncoderConfig(
                vocabularySize,
                maxLength,
                width,
                heads,
                layers,
                feedForwardWidth,
                p,
                norm,
                placement,
                feedForward,
                attention,
                prefixLength,
                dropout);
    }

    public TextEncoderConfig withNorm(NormKind n) {
        return new TextEncoderConfig(
                vocabularySize,
                maxLength,
                width,
                heads,
                layers,
                feedForwardWidth,
                position,
                n,
                placement,
                feedForward,
                attention,
                prefixLength,
                dropout);
    }

    public TextEncoderConfig withPlacement(NormPlacement p) {
        return new TextEncoderConfig(
                vocabularySize,
                maxLength,
                width,
                heads,
                layers,
                feedForwardWidth,
                position,
                norm,
                p,
                feedForward,
                attention,
                prefixLength,
                dropout);
    }

    public TextEncoderConfig withFeedForward(FeedForwardKind f) {
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
                f,
                attention,
                prefixLength,
                dropout);
    }

    /**
     * Sets the attention pattern; {@code prefixLength} is used by PREFIX only and must be 0
     * otherwise.
     */
    public TextEncoderConfig withAttention(AttentionPattern a, int prefix) {
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
                a,
                prefix,
                dropout);
    }

    public TextEncoderConfig withMaxLength(int m) {
        return new TextEncoderConfig(
                vocabularySize,
                m,
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
                dropout);
    }

    public TextEncoderConfig withDropout(float d) {
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
                d);
    }
}
