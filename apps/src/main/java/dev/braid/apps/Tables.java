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
        for (Map.Entry<String, Double> e : evaluation.metrics().entrySet()) {
            String key = e.getKey();
            if (key.contains("/precision/")
                    || key.contains("/recall/")
                    || key.contains("/f1/")
                    || key.contains("/support/")) {
                continue;
            }
            out.append(String.format("  %-28s %8.4f%n", key, e.getValue()));
        }
        return out.toString();
    }
}
