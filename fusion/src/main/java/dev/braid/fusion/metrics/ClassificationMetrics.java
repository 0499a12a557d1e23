package dev.braid.fusion.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix of single-label
 * predictions.
 *
 * <p>Macro-F1 is the unweighted mean of the F1 of every class that occurs in the truth or in the
 * predictions; a class absent from both has no evidence either way and is left out (scikit-learn's
 * default {@code labels=None} does the same, since it takes the labels present in either). Its
 * per-class scores are still reported, as zeros with support 0.
 */
public final class ClassificationMetrics {

    private final List<String> classNames;
    private final int[][] confusion;
    private final double accuracy;
    private final double macroF1;
    private final List<ClassScores> perClass;

    private ClassificationMetrics(
            List<String> classNames,
            int[][] confusion,
            double accuracy,
            double macroF1,
            List<ClassScores> perClass) {
        this.classNames = classNames;
        this.confusion = confusion;
        this.accuracy = accuracy;
        this.macroF1 = macroF1;
        this.perClass = perClass;
    }

    /**
     * Scores {@code predicted} against {@code truth}.
     *
     * @param truth the true class index of each sample
     * @param predicted the predicted class index of each sample
     * @param classNames the name of each class index; its size is the number of classes
     * @throws IllegalArgumentException if the arrays are empty or of different lengths, or an index
     *     is outside {@code [0, classNames.size())}
     */
    public static ClassificationMetrics of(int[] truth, int[] predicted, List<String> classNames) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(
                    "truth has " + truth.length + " samples but predicted has " + predicted.length);
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no samples: truth and predicted are empty");
        }
        int k = classNames.size();
        if (k == 0) {
            throw new IllegalArgumentException("classNames is empty");
        }
        if (new HashSet<>(classNames).size() != k) {
            throw new IllegalArgumentException(
                    "classNames (" + classNames + ") must be distinct: they name the metrics");
        }
        int[][] confusion = new int[k][k];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            checkIndex("truth", i, truth[i], k);
            checkIndex("predicted", i, predicted[i], k);
            confusion[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        List<ClassScores> perClass = new ArrayList<>(k);
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            int truePositives = confusion[c][c];
            int support = 0;
            int predictedAsC = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predictedAsC += confusion[j][c];
            }
            double precision = ratio(truePositives, predictedAsC);
            double recall = ratio(truePositives, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassScores(classNames.get(c), precision, recall, f1, support));
            if (support > 0 || predictedAsC > 0) {
                f1Sum += f1;
                present++;
            }
        }
        return new ClassificationMetrics(
                List.copyOf(classNames),
                confusion,
                (double) correct / truth.length,
                f1Sum / present,
                Collections.unmodifiableList(perClass));
    }

    private static void checkIndex(String name, int sample, int value, int classes) {
        if (value < 0 || value >= classes) {
            throw new IllegalArgumentException(
                    name
                            + "["
                            + sample
                            + "] ("
                            + value
                            + ") must be a class index in [0, "
                            + classes
                            + ")");
        }
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    /** The share of samples predicted correctly. */
    public double accuracy() {
        return accuracy;
    }

    /** The mean F1 over classes present in the truth or the predictions. */
    public double macroF1() {
        return macroF1;
    }

    /** The scores of every class, in class-index order. */
    public List<ClassScores> perClass() {
        return perClass;
    }

    /** The class names, in class-index order. */
    public List<String> classNames() {
        return classNames;
    }

    /** How many samples of true class {@code truth} were predicted as {@code predicted}. */
    public int confusion(int truth, int predicted) {
        return confusion[truth][predicted];
    }

    /** A copy of the confusion matrix: rows are the true class, columns the predicted class. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * The scores under flat names, for logs and early stopping: {@code accuracy}, {@code macro_f1},
     * and for each class {@code precision/<class>}, {@code recall/<class>}, {@code f1/<class>},
     * {@code support/<class>}.
     */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("accuracy", accuracy);
        map.put("macro_f1", macroF1);
        for (ClassScores scores : perClass) {
            map.put("precision/" + scores.name(), scores.precision());
            map.put("recall/" + scores.name(), scores.recall());
            map.put("f1/" + scores.name(), scores.f1());
            map.put("support/" + scores.name(), (double) scores.support());
        }
        return map;
    }
}
