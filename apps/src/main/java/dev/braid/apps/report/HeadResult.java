package dev.braid.apps.report;

import dev.braid.fusion.metrics.ClassScores;
import dev.braid.fusion.metrics.ClassificationMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The test results of one classification head: its confusion matrix and per-class scores.
 *
 * <p>With K classes, {@code confusion} is K × K, rows the true class and columns the predicted
 * class, in the order of {@code perClass}.
 *
 * @param head the head's name, such as {@code "label"}
 * @param confusion the confusion matrix, (K, K), counts at least 0; copied in and out
 * @param perClass the scores of each class, K of them; their names are the class names
 */
public record HeadResult(String head, int[][] confusion, List<ClassScores> perClass) {

    /**
     * @throws IllegalArgumentException if the head name is blank, there are no classes, the matrix
     *     is not K × K with K the number of per-class scores, or a count is negative
     */
    public HeadResult {
        if (head == null || head.isBlank()) {
            throw new IllegalArgumentException("head (" + head + ") must not be blank");
        }
        perClass = List.copyOf(perClass);
        int k = perClass.size();
        if (k == 0) {
            throw new IllegalArgumentException("perClass of head " + head + " is empty");
        }
        if (confusion.length != k) {
            throw new IllegalArgumentException(
                    "confusion has " + confusion.length + " rows but there are " + k + " classes");
        }
        int[][] copy = new int[k][];
        for (int row = 0; row < k; row++) {
            if (confusion[row].length != k) {
                throw new IllegalArgumentException(
                        "confusion row "
                                + row
                                + " has "
                                + confusion[row].length
                                + " columns but there are "
                                + k
                                + " classes");
            }
            for (int column = 0; column < k; column++) {
                if (confusion[row][column] < 0) {
                    throw new IllegalArgumentException(
                            "confusion["
                                    + row
                                    + "]["
                                    + column
                                    + "] ("
                                    + confusion[row][column]
                                    + ") must be at least 0");
                }
            }
            copy[row] = confusion[row].clone();
        }
        confusion = copy;
    }

    /** The results of {@code head} scored by {@code metrics}. */
    public static HeadResult of(String head, ClassificationMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return new HeadResult(head, metrics.confusionMatrix(), metrics.perClass());
    }

    /** A copy of the confusion matrix, (K, K). */
    @Override
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int row = 0; row < confusion.length; row++) {
            copy[row] = confusion[row].clone();
        }
        return copy;
    }

    /** Equal when the head, the matrix's counts and the per-class scores are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof HeadResult that
                && head.equals(that.head)
                && Arrays.deepEquals(confusion, that.confusion)
                && perClass.equals(that.perClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(head, Arrays.deepHashCode(confusion), perClass);
    }

    @Override
    public String toString() {
        return "HeadResult[head="
                + head
                + ", confusion="
                + Arrays.deepToString(confusion)
                + ", perClass="
                + perClass
                + "]";
    }

    /** The class names, in matrix order. */
    public List<String> classNames() {
        return perClass.stream().map(ClassScores::name).toList();
    }

    /** Correct predictions over all predictions: the trace of the matrix over its sum. */
    public double accuracy() {
        long correct = 0;
        long total = 0;
        for (int row = 0; row < confusion.length; row++) {
            correct += confusion[row][row];
            for (int count : confusion[row]) {
                total += count;
            }
        }
        return total == 0 ? 0 : (double) correct / total;
    }
}
