/**
 * Saved models and prediction: {@link dev.braid.fusion.predict.ModelDirectory} writes and reads a
 * trained model's folder; {@link dev.braid.fusion.predict.FusionPredictor} answers one sample at a
 * time, from any thread.
 */
package dev.braid.fusion.predict;
