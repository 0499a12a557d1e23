package dev.braid.fusion.train;

import dev.braid.fusion.metrics.ClassificationMetrics;
import java.util.Map;

/**
 * The result of evaluating a model on one split.
 *
 * @param metrics flat scores named {@code <head>/<metric>} (e.g. {@code label/accuracy}), plus
 *     {@code loss}
 * @param classification the full classification metrics of each classification head, for reports
 * @param samples the number of samples evaluated
 */
public record Evaluation(
        Map<String, Double> metrics,
        Map<String, ClassificationMetrics> classification,
        int samples) {

    /** Returns one metric, failing with the names available if it is unknown. */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "no metric '" + name + "'; available: " + metrics.keySet());
        }
        return value;
    }

    /**
     * The headline metrics (loss, accuracy, macro-F1 and the like) without the per-class scores
     * named {@code <head>/<score>/<class>}, which belong in the log and the report.
     */
    public static Map<String, Double> headline(Map<String, Double> metrics) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        metrics.forEach(
                (name, value) -> {
                    if (name.chars().filter(c -> c == '/').count() < 2) {
                        out.put(name, value);
                    }
                });
        return out;
    }
}
