package dev.braid.fusion.metrics;

/**
 * The scores of one class in a single-label classification.
 *
 * <p>A ratio whose denominator is zero (precision of a class never predicted, recall of a class
 * absent from the truth) is 0, as scikit-learn's {@code zero_division=0}.
 *
 * @param name the class name
 * @param precision true positives / predicted as this class
 * @param recall true positives / truly this class
 * @param f1 the harmonic mean of precision and recall, 0 when both are 0
 * @param support how many samples truly belong to this class
 */
public record ClassScores(String name, double precision, double recall, double f1, int support) {}
