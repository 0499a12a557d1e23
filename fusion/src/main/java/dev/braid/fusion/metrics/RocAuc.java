package dev.braid.fusion.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The area under the ROC curve: the probability that a random positive sample scores higher than a
 * random negative one, ties counting one half.
 *
 * <p>Computed by the rank statistic (Mann-Whitney U): rank all scores, tied scores sharing the
 * average of their ranks, then {@code AUC = (R+ - P(P+1)/2) / (P N)} with {@code R+} the sum of the
 * positives' ranks, {@code P} positives and {@code N} negatives. O(n log n).
 *
 * <p>When the samples are all positive or all negative the AUC is undefined and is returned as
 * {@code NaN} (scikit-learn raises an error instead); {@link #macro} skips such labels.
 */
public final class RocAuc {

    private RocAuc() {}

    /**
     * The AUC of binary scores.
     *
     * @param scores one score per sample, higher meaning more likely positive
     * @param positive whether each sample is positive
     * @return the AUC in [0, 1], or NaN if one class is absent
     * @throws IllegalArgumentException if the lengths differ, there are no samples, or a score is
     *     NaN
     */
    public static double binary(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "scores has " + scores.length + " samples but positive has " + positive.length);
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("no samples: scores is empty");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("scores[" + i + "] is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            // ranks are 1-based: the tied run start..end shares the mean of start+1 .. end+1
            double averageRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                if (positive[order[i]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0)
                / ((double) positives * negatives);
    }

    /**
     * The mean AUC over the labels of a multi-label problem, leaving out labels whose samples are
     * all positive or all negative.
     *
     * @param scores {@code [samples][labels]} scores
     * @param labels {@code [samples][labels]} truth
     * @return the mean AUC, or NaN if no label has both classes
     * @throws IllegalArgumentException if the shapes differ or are empty
     */
    public static double macro(double[][] scores, boolean[][] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    "scores has " + scores.length + " samples but labels has " + labels.length);
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("no samples: scores is empty");
        }
        int width = scores[0].length;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != width || labels[i].length != width) {
                throw new IllegalArgumentException(
                        "sample "
                                + i
                                + " has "
                                + scores[i].length
                                + " scores and "
                                + labels[i].length
                                + " labels; expected "
                                + width
                                + " of each");
            }
        }
        double sum = 0;
        int counted = 0;
        double[] column = new double[scores.length];
        boolean[] truth = new boolean[scores.length];
        for (int label = 0; label < width; label++) {
            for (int i = 0; i < scores.length; i++) {
                column[i] = scores[i][label];
                truth[i] = labels[i][label];
            }
            double auc = binary(column, truth);
            if (!Double.isNaN(auc)) {
                sum += auc;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }
}
