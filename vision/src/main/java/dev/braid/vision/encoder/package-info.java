/**
 * The image encoder: {@link dev.braid.vision.encoder.CnnImageEncoder}, a residual CNN whose output
 * follows the Braid contract {@code NDList(tokens (B, L, D), mask (B, L))}, configured by one
 * {@link dev.braid.vision.encoder.ImageEncoderConfig}. No OpenCV here: images arrive as NDArrays.
 */
package dev.braid.vision.encoder;
