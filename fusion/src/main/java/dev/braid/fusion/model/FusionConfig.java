package dev.braid.fusion.model;

import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.LayerConfig;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;

/**
 * The shape of a fusion block.
 *
 * @param kind which fusion
 * @param width the fusion width D every modality is projected to
 * @param heads attention heads
 * @param layers self-attention layers after cross-attention (per modality, or over the latents)
 * @param latents the number of latent queries N, for {@link FusionKind#LATENT}
 * @param dropout dropout inside attention and feed-forward blocks
 * @param feedForwardWidth the hidden width of each feed-forward block; 0 (the default) for {@code 4
 *     × width}. Structured pruning sets it; a model saved before it existed reads as 0.
 */
public record FusionConfig(
        FusionKind kind,
        int width,
        int heads,
        int layers,
        int latents,
        float dropout,
        int feedForwardWidth) {

    /** A fusion whose feed-forward blocks are {@code 4 × width} wide. */
    public FusionConfig(
            FusionKind kind, int width, int heads, int layers, int latents, float dropout) {
        this(kind, width, heads, layers, latents, dropout, 0);
    }

    public FusionConfig {
        if (feedForwardWidth < 0) {
            throw new IllegalArgumentException(
                    "feedForwardWidth (" + feedForwardWidth + ") must be >= 0 (0: 4 × width)");
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind must be set");
        }
        if (layers < 0) {
            throw new IllegalArgumentException("layers (" + layers + ") must be >= 0");
        }
        if (latents < 1) {
            throw new IllegalArgumentException("latents (" + latents + ") must be positive");
        }
        new LayerConfig(
                width,
                heads,
                feedForwardWidth > 0 ? feedForwardWidth : 4 * width,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN,
                FeedForwardKind.GELU,
                dropout);
    }

    /**
     * Gated cross-attention at D=64, 4 heads, 1 self-attention layer, 8 latents (unused). Gated
     * rather than plain pairwise because it starts from late fusion and only adds cross-modal
     * attention as training opens the gates; on the hard AV-MNIST setting it generalised better.
     */
    public static FusionConfig defaults() {
        return new FusionConfig(FusionKind.GATED, 64, 4, 1, 8, 0.1f);
    }

    /** Returns the configuration of the attention layers inside the fusion. */
    public LayerConfig layerConfig() {
        return new LayerConfig(
                width,
                heads,
                hiddenWidth(),
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN,
                FeedForwardKind.GELU,
                dropout);
    }

    /** The hidden width of each feed-forward block. */
    public int hiddenWidth() {
        return feedForwardWidth > 0 ? feedForwardWidth : 4 * width;
    }

    public FusionConfig withKind(FusionKind k) {
        return new FusionConfig(k, width, heads, layers, latents, dropout, feedForwardWidth);
    }

    public FusionConfig withDropout(float d) {
        return new FusionConfig(kind, width, heads, layers, latents, d, feedForwardWidth);
    }

    /** The same fusion at width {@code w}, its feed-forward blocks {@code hidden} wide. */
    public FusionConfig withWidths(int w, int hidden) {
        return new FusionConfig(kind, w, heads, layers, latents, dropout, hidden);
    }
}
