package dev.braid.text.transformer;

/**
 * The two constants of {@link NormPlacement#DEEP_NORM}: each layer computes {@code norm(alpha x +
 * f(x))}, and the weights of its value and output projections and of its feed-forward block start
 * at {@code beta} times their usual initialisation. Together they bound the size of a model update
 * by a constant independent of the depth (DeepNet, Wang et al. 2022, section 4); the paper's
 * formulas for each architecture are the factories below, N encoder layers and M decoder layers.
 *
 * @param alpha the residual scale, at least 1
 * @param beta the initialisation scale, in (0, 1]
 */
public record DeepNorm(float alpha, float beta) {

    /** The plain residual and initialisation: every placement but DeepNorm. */
    public static final DeepNorm NONE = new DeepNorm(1f, 1f);

    public DeepNorm {
        if (!(alpha >= 1) || !(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException(
                    "DeepNorm alpha ("
                            + alpha
                            + ") must be >= 1 and beta ("
                            + beta
                            + ") in (0, 1]");
        }
    }

    /** An encoder alone (BERT-like) of N layers: alpha = (2N)^1/4, beta = (8N)^-1/4. */
    public static DeepNorm encoderOnly(int layers) {
        return new DeepNorm(root4(2.0 * layers), 1f / root4(8.0 * layers));
    }

    /** A decoder alone (GPT-like) of M layers: alpha = (2M)^1/4, beta = (8M)^-1/4. */
    public static DeepNorm decoderOnly(int layers) {
        return encoderOnly(layers);
    }

    /**
     * The decoder of an encoder-decoder with M decoder layers: alpha = (3M)^1/4, beta = (12M)^-1/4.
     */
    public static DeepNorm decoderOfEncoderDecoder(int decoderLayers) {
        return new DeepNorm(root4(3.0 * decoderLayers), 1f / root4(12.0 * decoderLayers));
    }

    private static float root4(double x) {
        return (float) Math.pow(x, 0.25);
    }
}
