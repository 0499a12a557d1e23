package dev.braid.text.generate;

import java.util.Arrays;
import java.util.Comparator;

/** Orders and normalises one row of logits; shared by the processors and the strategies. */
final class Ranking {

    private Ranking() {}

    /** Token ids from the highest logit to the lowest, lower id first among equal logits. */
    static int[] descending(float[] logits) {
        Integer[] ids = new Integer[logits.length];
        for (int v = 0; v < ids.length; v++) {
            ids[v] = v;
        }
        Arrays.sort(ids, Comparator.comparingDouble((Integer v) -> -logits[v]));
        return Arrays.stream(ids).mapToInt(Integer::intValue).toArray();
    }

    /** The softmax of the logits, in double; banned tokens get 0. */
    static double[] probabilities(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] p = new double[logits.length];
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is banned; nothing can be chosen");
        }
        double sum = 0;
        for (int v = 0; v < logits.length; v++) {
            p[v] = Math.exp(logits[v] - max);
            sum += p[v];
        }
        for (int v = 0; v < logits.length; v++) {
            p[v] /= sum;
        }
        return p;
    }

    /** The log-softmax of the logits, in double; banned tokens get -infinity. */
    static double[] logProbabilities(float[] logits) {
        double[] p = probabilities(logits);
        double[] log = new double[p.length];
        for (int v = 0; v < p.length; v++) {
            log[v] = Math.log(p[v]);
        }
        return log;
    }

    /** The id of the highest logit, the lowest such id among equals. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int v = 1; v < logits.length; v++) {
            if (logits[v] > logits[best]) {
                best = v;
            }
        }
        return best;
    }
}
