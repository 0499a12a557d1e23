package dev.braid.text.transformer;

/**
 * The shape of one Transformer layer, handed to every part of it.
 *
 * @param width the model width D
 * @param heads the number of attention heads H; D must be divisible by H
 * @param feedForwardWidth the hidden width F of the feed-forward block
 * @param norm LayerNorm or RMSNorm
 * @param placement Post-LN or Pre-LN
 * @param feedForward the feed-forward non-linearity
 * @param dropout the dropout rate on attention weights and residual branches, in [0, 1)
 */
public record LayerConfig(
        int width,
        int heads,
        int feedForwardWidth,
        NormKind norm,
        NormPlacement placement,
        FeedForwardKind feedForward,
        float dropout) {

    public LayerConfig {
        if (width < 1) {
            throw new IllegalArgumentException("width (" + width + ") must be positive");
        }
        if (heads < 1) {
            throw new IllegalArgumentException("heads (" + heads + ") must be positive");
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException(
                    "width (" + width + ") must be divisible by heads (" + heads + ")");
        }
        if (feedForwardWidth < 1) {
            throw new IllegalArgumentException(
                    "feedForwardWidth (" + feedForwardWidth + ") must be positive");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout (" + dropout + ") must be in [0, 1)");
        }
        if (norm == null || placement == null || feedForward == null) {
            throw new IllegalArgumentException(
                    "norm, placement and feedForward must be set, found "
                            + norm
                            + ", "
                            + placement
                            + ", "
                            + feedForward);
        }
    }

    /** Returns the width of one head, D / H. */
    public int headWidth() {
        return width / heads;
    }
}
