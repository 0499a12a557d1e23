package dev.braid.text.transformer;

/**
 * The shape of one Transformer layer, handed to every part of it.
 *
 * @param width the model width D
 * @param heads the number of attention heads H; D must be divisible by H unless {@code
 *     attentionWidth} is set
 * @param feedForwardWidth the hidden width F of the feed-forward block
 * @param norm LayerNorm or RMSNorm
 * @param placement Post-LN or Pre-LN
 * @param feedForward the feed-forward non-linearity
 * @param dropout the dropout rate on attention weights and residual branches, in [0, 1)
 * @param deepNorm the residual and initialisation scales of {@link NormPlacement#DEEP_NORM}; {@link
 *     DeepNorm#NONE} for the other placements
 * @param attentionWidth the attention's inner width A = H × Dh (queries, keys and values), which
 *     the output projection maps back to D; 0 for D. Pruning whole heads makes it smaller than D.
 */
public record LayerConfig(
        int width,
        int heads,
        int feedForwardWidth,
        NormKind norm,
        NormPlacement placement,
        FeedForwardKind feedForward,
        float dropout,
        DeepNorm deepNorm,
        int attentionWidth) {

    /** A layer whose attention is as wide as the model, D = H × (D / H). */
    public LayerConfig(
            int width,
            int heads,
            int feedForwardWidth,
            NormKind norm,
            NormPlacement placement,
            FeedForwardKind feedForward,
            float dropout,
            DeepNorm deepNorm) {
        this(width, heads, feedForwardWidth, norm, placement, feedForward, dropout, deepNorm, 0);
    }

    /** A layer of any placement but DeepNorm, whose scales need the depth. */
    public LayerConfig(
            int width,
            int heads,
            int feedForwardWidth,
            NormKind norm,
            NormPlacement placement,
            FeedForwardKind feedForward,
            float dropout) {
        this(width, heads, feedForwardWidth, norm, placement, feedForward, dropout, DeepNorm.NONE);
    }

    public LayerConfig {
        if (width < 1) {
            throw new IllegalArgumentException("width (" + width + ") must be positive");
        }
        if (heads < 1) {
            throw new IllegalArgumentException("heads (" + heads + ") must be positive");
        }
        if (attentionWidth < 0) {
            throw new IllegalArgumentException(
                    "attentionWidth (" + attentionWidth + ") must be >= 0 (0: the width)");
        }
        if (attentionWidth == 0 && width % heads != 0) {
            throw new IllegalArgumentException(
                    "width (" + width + ") must be divisible by heads (" + heads + ")");
        }
        if (attentionWidth % heads != 0) {
            throw new IllegalArgumentException(
                    "attentionWidth ("
                            + attentionWidth
                            + ") must be divisible by heads ("
                            + heads
                            + ")");
        }
        attentionWidth = attentionWidth == 0 ? width : attentionWidth;
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
        checkDeepNorm(placement, deepNorm);
    }

    /** Validates the DeepNorm scales against the placement; called from the compact constructor. */
    private static void checkDeepNorm(NormPlacement placement, DeepNorm deepNorm) {
        if (deepNorm == null) {
            throw new IllegalArgumentException("deepNorm must be set (DeepNorm.NONE for none)");
        }
        if (placement != NormPlacement.DEEP_NORM && !deepNorm.equals(DeepNorm.NONE)) {
            throw new IllegalArgumentException(
                    "deepNorm "
                            + deepNorm
                            + " needs placement DEEP_NORM, found "
                            + placement
                            + "; use DeepNorm.NONE");
        }
    }

    /** Returns the width of one head, A / H (D / H unless heads were pruned). */
    public int headWidth() {
        return attentionWidth / heads;
    }
}
