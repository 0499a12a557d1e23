/**
 * Braid's fusion module: fusion blocks and task heads ({@link dev.braid.fusion.model}), multimodal
 * datasets and batching ({@link dev.braid.fusion.data}), the shared training loop, optimiser and
 * checkpoints ({@link dev.braid.fusion.train}), metrics ({@link dev.braid.fusion.metrics}) and the
 * predictor ({@link dev.braid.fusion.predict}).
 */
package dev.braid.fusion;
