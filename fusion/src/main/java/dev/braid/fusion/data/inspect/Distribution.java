package dev.braid.fusion.data.inspect;

import java.util.Collection;

/**
 * A summary of some values: how many, the least, the median, the 95th percentile and the greatest
 * (nearest rank); all 0 for no values.
 */
public record Distribution(int count, double min, double median, double p95, double max) {

    /** The distribution of {@code values}. */
    public static Distribution of(Collection<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Distribution(0, 0, 0, 0, 0);
        }
        return new Distribution(
                sorted.length,
                sorted[0],
                rank(sorted, 0.5),
                rank(sorted, 0.95),
                sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile: the smallest value at least {@code q} of the values reach. */
    private static double rank(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
