package dev.braid.fusion.train;

/**
 * The hyper-parameters of {@link AdamW} other than the learning rate, which changes every step.
 *
 * @param beta1 decay of the first moment (mean of gradients), in [0, 1)
 * @param beta2 decay of the second moment (mean of squared gradients), in [0, 1)
 * @param eps added to the square root of the corrected second moment, positive
 * @param weightDecay decoupled weight decay {@code p -= lr * weightDecay * p}, at least 0
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {

    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 (" + beta1 + ") must be in [0, 1)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 (" + beta2 + ") must be in [0, 1)");
        }
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException("eps (" + eps + ") must be positive and finite");
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException(
                    "weightDecay (" + weightDecay + ") must be >= 0 and finite");
        }
    }

    /** PyTorch's AdamW defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9, 0.999, 1e-8, 0.01);
    }

    /** This configuration with another weight decay. */
    public AdamWConfig withWeightDecay(double weightDecay) {
        return new AdamWConfig(beta1, beta2, eps, weightDecay);
    }
}
