package dev.braid.apps;

import dev.braid.fusion.train.Evaluation;
import java.util.Map;

/** Plain-text tables for the console. */
final class Tables {

    private Tables() {}

    /** The headline metrics of an evaluation (no per-class rows). */
    static String metrics(String title, Evaluation evaluation) {
        StringBuilder out =
                new StringBuilder(
                        String.format("%s metrics (%d samples)%n", title, evaluation.samples()));
        for (Map.Entry<String, Double> e : Evaluation.headline(evaluation.metrics()).entrySet()) {
            out.append(String.format("  %-28s %8.4f%n", e.getKey(), e.getValue()));
        }
        return out.toString();
    }
}
