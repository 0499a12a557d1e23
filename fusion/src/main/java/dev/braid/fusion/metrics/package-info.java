/**
 * Evaluation metrics in plain Java (no DJL): {@link dev.braid.fusion.metrics.ClassificationMetrics}
 * for single-label classification, {@link dev.braid.fusion.metrics.RocAuc} for binary and
 * multi-label scores, {@link dev.braid.fusion.metrics.RegressionMetrics} for regression. Each
 * flattens to a {@code Map<String, Double>} for logs and early stopping.
 */
package dev.braid.fusion.metrics;
