package dev.braid.fusion.predict;

import java.util.List;
import java.util.Map;

/**
 * What a model says about one sample: for each head, its answer.
 *
 * @param heads the answer of each head, by head name
 */
public record Prediction(Map<String, HeadPrediction> heads) {

    /** One class with its probability. */
    public record Scored(String label, double probability) {}

    /**
     * One head's answer.
     *
     * @param label the predicted class (classification), the labels with probability over 0.5
     *     joined by commas (multi-label), or the value as text (regression)
     * @param scores every class with its probability, most likely first; empty for regression
     * @param value the predicted number for regression, else the top probability
     */
    public record HeadPrediction(String label, List<Scored> scores, double value) {}
}
