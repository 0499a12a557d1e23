/**
 * Braid on Apache Spark: Spark ML transformers that predict ({@link
 * dev.braid.spark.PredictionTransformer}) and embed ({@link dev.braid.spark.EmbeddingTransformer})
 * the rows of a DataFrame in batches, with one model per executor JVM, and data-parallel training
 * in barrier mode ({@link dev.braid.spark.BarrierTraining}). Spark is a {@code provided}
 * dependency: the cluster brings it. On Java 17 the JVM needs the {@code --add-opens} flags of
 * Spark's own launcher (the build's {@code spark.javaOptions}).
 */
package dev.braid.spark;
