package dev.braid.fusion.data;

/** What a task head predicts. */
public enum HeadKind {
    /** One class out of K (softmax, cross-entropy). */
    CLASSIFICATION,
    /** Any subset of K labels (sigmoid per label, binary cross-entropy). */
    MULTI_LABEL,
    /** One real number (mean squared error). */
    REGRESSION
}
