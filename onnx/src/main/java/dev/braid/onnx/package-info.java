/**
 * Pretrained text encoders run by DJL's ONNX Runtime engine, beside the PyTorch engine: frozen
 * sentence models whose token vectors are text features ({@link dev.braid.onnx.OnnxTextFeatures}),
 * the two ready-made ones ({@link dev.braid.onnx.ReadyTextModel}). A module of its own, so a user
 * of the core library does not download ONNX Runtime.
 */
package dev.braid.onnx;
