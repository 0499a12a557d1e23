package dev.braid.fusion.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Optional;

/**
 * When to stop training: after {@code patience} evaluations in a row without the validation metric
 * improving on its best by more than {@code minDelta}.
 *
 * <p>The record is the rule; a {@link Tracker} applies it epoch by epoch. The tracker's state,
 * {@link Tracker#best()} and {@link Tracker#epochsWithoutImprovement()}, goes into {@link
 * TrainingState} and is given back to {@link #resume} after a restart.
 *
 * @param metric the validation metric and whether larger or smaller values of it are better
 * @param patience evaluations without improvement that stop training, at least 1
 * @param minDelta how much better than the best a value must be to count, at least 0
 */
public record EarlyStopping(Metric metric, int patience, double minDelta) {

    /** Whether larger or smaller values of the metric are better. */
    public enum Goal {
        MAXIMIZE,
        MINIMIZE
    }

    /**
     * A validation metric and which way is better. {@link #of} knows the goal of every metric
     * {@link Evaluator} reports; YAML and JSON write a metric as its name, read back with {@link
     * #of}.
     *
     * @param name a key of the evaluation's metrics, e.g. {@code label/accuracy} or {@code loss}
     * @param goal whether larger or smaller values are better; for a metric {@link #of} knows, the
     *     goal it gives
     */
    public record Metric(String name, Goal goal) {

        /** The goal of each score {@link Evaluator} reports as {@code <head>/<score>}. */
        private static final Map<String, Goal> HEAD_SCORES =
                Map.of(
                        "accuracy", Goal.MAXIMIZE,
                        "macro_f1", Goal.MAXIMIZE,
                        "roc_auc", Goal.MAXIMIZE,
                        "roc_auc_macro", Goal.MAXIMIZE,
                        "exact_match", Goal.MAXIMIZE,
                        "mae", Goal.MINIMIZE,
                        "rmse", Goal.MINIMIZE,
                        "token_loss", Goal.MINIMIZE,
                        "perplexity", Goal.MINIMIZE);

        /** The goal of each score reported as {@code <head>/<score>/<class>}. */
        private static final Map<String, Goal> CLASS_SCORES =
                Map.of("precision", Goal.MAXIMIZE, "recall", Goal.MAXIMIZE, "f1", Goal.MAXIMIZE);

        private static final String NOT_EVALUATED =
                "is not one Braid evaluates: use loss or <head>/ followed by accuracy, macro_f1,"
                        + " roc_auc, roc_auc_macro, exact_match, mae, rmse, precision/<class>,"
                        + " recall/<class> or f1/<class>";

        public Metric {
            requireName(name);
            if (goal == null) {
                throw new IllegalArgumentException(
                        "goal (null) of metric '" + name + "' must be MAXIMIZE or MINIMIZE");
            }
            Optional<Goal> known = knownGoal(name);
            if (known.isPresent() && known.get() != goal) {
                throw new IllegalArgumentException(
                        "goal ("
                                + goal
                                + ") of metric '"
                                + name
                                + "' must be "
                                + known.get()
                                + "; Metric.of(\""
                                + name
                                + "\") gives it");
            }
        }

        /**
         * The metric of this name with its goal: {@code loss} and {@code <head>/mae}, {@code
         * <head>/rmse}, {@code <head>/token_loss}, {@code <head>/perplexity} are minimised; {@code
         * <head>/accuracy}, {@code macro_f1}, {@code roc_auc}, {@code roc_auc_macro}, {@code
         * exact_match} and {@code <head>/precision/<class>}, {@code recall/<class>}, {@code
         * f1/<class>} are maximised.
         *
         * @throws IllegalArgumentException naming the metric if it is none of these; give another
         *     metric its goal with the constructor
         */
        @JsonCreator
        public static Metric of(String name) {
            requireName(name);
            Goal goal =
                    knownGoal(name)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "metric '" + name + "' " + NOT_EVALUATED));
            return new Metric(name, goal);
        }

        private static void requireName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(
                        "metric (" + name + ") must be a metric name, e.g. label/accuracy");
            }
        }

        /** The goal of a metric {@link Evaluator} reports, found from its name. */
        private static Optional<Goal> knownGoal(String name) {
            if (name.equals("loss")) {
                return Optional.of(Goal.MINIMIZE);
            }
            String[] parts = name.split("/", 3); // head, score[, class]
            if (parts.length < 2 || parts[0].isEmpty()) {
                return Optional.empty();
            }
            Map<String, Goal> scores =
                    parts.length == 2 ? HEAD_SCORES : parts[2].isEmpty() ? Map.of() : CLASS_SCORES;
            return Optional.ofNullable(scores.get(parts[1]));
        }

        /** The name, which is also how YAML and JSON write the metric. */
        @Override
        @JsonValue
        public String name() {
            return name;
        }
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
        if (metric == null) {
            throw new IllegalArgumentException("metric (null) must be set, e.g. label/accuracy");
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
                metric.goal() == Goal.MAXIMIZE
                        ? Double.NEGATIVE_INFINITY
                        : Double.POSITIVE_INFINITY,
                0);
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
                    metric.goal() == Goal.MAXIMIZE
                            ? value > best + minDelta
                            : value < best - minDelta;
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
