/**
 * Model compression that works on any {@link dev.braid.fusion.model.FusionModel}: int8 weights
 * ({@link Int8Tensor}, stored by {@link Int8Weights}), magnitude pruning ({@link
 * MagnitudePruning}), structured pruning to a smaller dense model ({@link StructuredPruning}) and
 * distillation of a student from a teacher ({@link DistillationLoss}, {@link TeacherTargets});
 * {@link CompressionRecord} writes how a model was compressed into its provenance.
 */
package dev.braid.fusion.compress;
