/**
 * Image preprocessing: decoding ({@link dev.braid.vision.image.ImageDecoder}), resizing, seeded
 * training augmentation and normalisation ({@link dev.braid.vision.image.ImagePreprocessor}), and
 * batching into one NDArray ({@link dev.braid.vision.image.ImageBatcher}).
 *
 * <p>All OpenCV types stay inside this package: its public API speaks in paths, bytes, floats and
 * NDArrays, so OpenCV could be swapped without touching an encoder.
 */
package dev.braid.vision.image;
