package dev.braid.apps.plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadKindPlugin;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.HeadTargets;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.model.Losses;
import dev.braid.fusion.predict.Prediction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A user's head kind, written outside Braid's sources: a rank 0..K-1 ({@code "severity": 2} in a
 * manifest row), predicted by K-1 cumulative logits, logit j for "rank > j". The loss is binary
 * cross-entropy on the cumulative targets; the answer counts the logits whose sigmoid is over 0.5.
 */
public final class OrdinalHead implements HeadKindPlugin {

    public static final HeadKind ORDINAL = HeadKind.custom("ordinal");

    @Override
    public HeadKind kind() {
        return ORDINAL;
    }

    @Override
    public void check(Label label) {
        if (!(label instanceof Label.NumericLabel n) || n.value() < 0 || n.value() % 1 != 0) {
            throw new IllegalArgumentException("a rank must be a whole number 0, 1, 2, ...");
        }
    }

    /** The ranks 0..K-1, K one more than the highest training rank. */
    @Override
    public List<String> classes(List<Label> labels) {
        int k = 1 + labels.stream().mapToInt(OrdinalHead::rank).max().orElse(0);
        if (k < 2) {
            throw new IllegalArgumentException("an ordinal head needs ranks 0 and at least 1");
        }
        return IntStream.range(0, k).mapToObj(String::valueOf).toList();
    }

    @Override
    public int outputs(List<String> classes) {
        return classes.size() - 1;
    }

    @Override
    public HeadTargets targets(HeadSpec head, List<Label> labels) {
        int w = head.outputs();
        float[] cumulative = new float[labels.size() * w]; // (B, K-1): 1 where rank > j
        boolean[] present = new boolean[labels.size()];
        for (int b = 0; b < labels.size(); b++) {
            if (labels.get(b) != null) {
                int rank = rank(labels.get(b));
                if (rank > w) {
                    throw new IllegalArgumentException("rank " + rank + " is above " + w);
                }
                for (int j = 0; j < rank; j++) {
                    cumulative[b * w + j] = 1f;
                }
                present[b] = true;
            }
        }
        return new HeadTargets.Rows(ORDINAL, w, cumulative, present);
    }

    @Override
    public NDArray loss(NDArray logits, NDList targets) {
        return Losses.binaryCrossEntropy(logits, targets.get(0), targets.get(1));
    }

    @Override
    public Map<String, Double> metrics(
            HeadSpec head, List<float[]> outputs, List<float[]> targets) {
        double hits = 0;
        double error = 0;
        for (int i = 0; i < outputs.size(); i++) {
            int truth = 0;
            for (float t : targets.get(i)) {
                truth += (int) t;
            }
            int predicted = predicted(outputs.get(i));
            hits += predicted == truth ? 1 : 0;
            error += Math.abs(predicted - truth);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("accuracy", hits / outputs.size());
        scores.put("mae", error / outputs.size());
        return scores;
    }

    /** The rank, with each rank's probability P(rank > r-1) - P(rank > r). */
    @Override
    public Prediction.HeadPrediction answer(HeadSpec head, float[] logits) {
        List<Prediction.Scored> scores = new ArrayList<>();
        for (int r = 0; r <= logits.length; r++) {
            double above = r == 0 ? 1 : sigmoid(logits[r - 1]);
            double next = r == logits.length ? 0 : sigmoid(logits[r]);
            scores.add(new Prediction.Scored(head.classes().get(r), Math.max(0, above - next)));
        }
        scores.sort(Comparator.comparingDouble(Prediction.Scored::probability).reversed());
        int rank = predicted(logits);
        return new Prediction.HeadPrediction(String.valueOf(rank), scores, rank);
    }

    private static int predicted(float[] logits) {
        int rank = 0;
        for (float logit : logits) {
            rank += logit > 0 ? 1 : 0; // sigmoid > 0.5
        }
        return rank;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static int rank(Label label) {
        return (int) ((Label.NumericLabel) label).value();
    }
}
