package dev.braid.fusion.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mean absolute error and root mean squared error of regression predictions.
 *
 * @param mae mean of |truth - predicted|
 * @param rmse square root of the mean of (truth - predicted)²
 */
public record RegressionMetrics(double mae, double rmse) {

    /**
     * Scores {@code predicted} against {@code truth}.
     *
     * @throws IllegalArgumentException if the arrays are empty or of different lengths
     */
    public static RegressionMetrics of(double[] truth, double[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " samples but predicted has " + predicted.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no samples: truth and predicted are empty");
        }
        double absolute = 0;
        double squared = 0;
        for (int i = 0; i < truth.length; i++) {
            double error = truth[i] - predicted[i];
            absolute += Math.abs(error);
            squared += error * error;
        }
        return new RegressionMetrics(absolute / truth.length, Math.sqrt(squared / truth.length));
    }

    /** The scores under the names {@code mae} and {@code rmse}. */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("mae", mae);
        map.put("rmse", rmse);
        return map;
    }
}
