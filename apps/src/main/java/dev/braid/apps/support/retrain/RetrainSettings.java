package dev.braid.apps.support.retrain;

/**
 * How {@code braid retrain} fine-tunes; errors name the command-line flag.
 *
 * @param replayWeight the share of every epoch (and, on average, of every batch) drawn from the
 *     model's original training data, in [0, 1); the rest are the corrections. An epoch holds each
 *     correction trained on once on average: {@code ceil(corrections / (1 - replayWeight))} samples
 * @param epochs passes of that size
 * @param holdBack the share of corrected tickets held back to evaluate on, in [0, 1)
 * @param seed the one seed of the hold-back draw, the mix and training
 */
public record RetrainSettings(double replayWeight, int epochs, double holdBack, long seed) {

    /** Half replay, 6 epochs, a fifth held back, seed 42. */
    public static final RetrainSettings DEFAULTS = new RetrainSettings(0.5, 6, 0.2, 42);

    public RetrainSettings {
        if (!(replayWeight >= 0 && replayWeight < 1)) {
            throw new IllegalArgumentException(
                    "--replay-weight "
                            + replayWeight
                            + ": must be in [0, 1) (the share of each batch drawn from the"
                            + " model's original training data; 0: corrections only)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs " + epochs + ": must be at least 1");
        }
        if (!(holdBack >= 0 && holdBack < 1)) {
            throw new IllegalArgumentException(
                    "--hold-back "
                            + holdBack
                            + ": must be in [0, 1) (the share of corrected tickets kept out of"
                            + " training to evaluate on)");
        }
    }

    /** Samples per epoch for {@code corrections} corrected tickets trained on. */
    public int epochSize(int corrections) {
        return (int) Math.ceil(corrections / (1 - replayWeight));
    }
}
