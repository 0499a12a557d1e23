package dev.braid.fusion.train;

/**
 * When to stop training: after {@code patience} evaluations in a row without the validation metric
 * improving on its best by more than {@code minDelta}.
 *
 * <p>The record is the rule; a {@link Tracker} applies it epoch by epoch. The tracker's state,
 * {@link Tracker#best()} and {@link Tracker#epochsWithoutImprovement()}, goes into {@link
 * TrainingState} and is given back to {@link #resume} after a restart.
 *
 * @param metric the name of the validation metric, a key of the epoch's metrics, e.g. {@code
 *     macro_f1}
 * @param goal whether larger or smaller values are better
 * @param patience evaluations without improvement that stop training, at least 1
 * @param minDelta how much better than the best a value must be to count, at least 0
 */
public record EarlyStopping(String metric, Goal goal, int patience, double minDelta) {

    /** Whether larger or smaller values of the metric are better. */
    public enum Goal {
        MAXIMIZE,
        MINIMIZE
    }

    /** What one evaluation means for training. */
    public enum Decision {
        /** A new best: worth a checkpoint of the best model. */
        IMPROVED,
        /** Not better, but patience is not exhausted. */
        NO_CHANGE,
        /** {@code patience} evaluations in a row without improvement: stop. */
        STOP
    }

    public EarlyStopping {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric (" + metric + ") must be a metric name");
        }
        if (goal == null) {
            throw new IllegalArgumentException("goal (null) must be MAXIMIZE or MINIMIZE");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience (" + patience + ") must be >= 1");
        }
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            throw new IllegalArgumentException(
                    "minDelta (" + minDelta + ") must be >= 0 and finite");
        }
    }

    /** A tracker that has seen no evaluation: its best is the worst possible value. */
    public Tracker start() {
        return new Tracker(
                goal == Goal.MAXIMIZE ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, 0);
    }

    /** A tracker continuing from a saved state. */
    public Tracker resume(double best, int epochsWithoutImprovement) {
        if (epochsWithoutImprovement < 0) {
            throw new IllegalArgumentException(
                    "epochsWithoutImprovement (" + epochsWithoutImprovement + ") must be >= 0");
        }
        return new Tracker(best, epochsWithoutImprovement);
    }

    /** Applies the rule to one evaluation after another. */
    public final class Tracker {

        private double best;
        private int epochsWithoutImprovement;

        private Tracker(double best, int epochsWithoutImprovement) {
            this.best = best;
            this.epochsWithoutImprovement = epochsWithoutImprovement;
        }

        /**
         * Takes this evaluation's value of the metric. A NaN value never improves.
         *
         * @return whether it improved, and if not whether to stop
         */
        public Decision update(double value) {
            boolean improved =
                    goal == Goal.MAXIMIZE ? value > best + minDelta : value < best - minDelta;
            if (improved) {
                best = value;
                epochsWithoutImprovement = 0;
                return Decision.IMPROVED;
            }
            epochsWithoutImprovement++;
            return epochsWithoutImprovement >= patience ? Decision.STOP : Decision.NO_CHANGE;
        }

        /** The best value so far; infinitely bad before the first evaluation. */
        public double best() {
            return best;
        }

        /** Evaluations since the last improvement. */
        public int epochsWithoutImprovement() {
            return epochsWithoutImprovement;
        }
    }
}
