package dev.braid.fusion.data;

/** What a task head predicts, and so which loss and which targets it gets. */
public enum HeadKind {
    /** One class out of K; targets are class indices. */
    CLASSIFICATION,
    /** Any subset of K classes; targets are multi-hot vectors. */
    MULTI_LABEL,
    /** One real number; targets are floats. */
    REGRESSION
}
