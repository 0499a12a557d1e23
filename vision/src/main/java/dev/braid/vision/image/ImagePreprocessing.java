package dev.braid.vision.image;

import java.util.List;
import java.util.Objects;

/**
 * What a preprocessed image looks like: its size, how it is resized, its channels and the
 * per-channel normalisation {@code (value / 255 - mean[c]) / std[c]}.
 *
 * @param height output height in pixels
 * @param width output width in pixels
 * @param resizeMode how the decoded image is brought to {@code height x width}
 * @param channels 3 for RGB (in that order), 1 for grayscale (ITU-R BT.601 luma)
 * @param mean per-channel mean on the 0..1 scale, one value per channel
 * @param std per-channel standard deviation on the 0..1 scale, one positive value per channel
 */
public record ImagePreprocessing(
        int height,
        int width,
        ResizeMode resizeMode,
        int channels,
        List<Double> mean,
        List<Double> std) {

    /** Checks sizes and channel count, and that mean and std have one value per channel. */
    public ImagePreprocessing {
        if (height < 1) {
            throw new IllegalArgumentException("height (" + height + ") must be positive");
        }
        if (width < 1) {
            throw new IllegalArgumentException("width (" + width + ") must be positive");
        }
        Objects.requireNonNull(resizeMode, "resizeMode");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels (" + channels + ") must be 1 or 3");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != channels) {
            throw new IllegalArgumentException(
                    "mean " + mean + " must have one value per channel (" + channels + ")");
        }
        if (std.size() != channels) {
            throw new IllegalArgumentException(
                    "std " + std + " must have one value per channel (" + channels + ")");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std " + std + " must be positive");
            }
        }
    }

    /**
     * RGB {@code size x size}, shorter side resized then centre-cropped, ImageNet mean and std —
     * the usual setting for photographs.
     */
    public static ImagePreprocessing imagenet(int size) {
        return new ImagePreprocessing(
                size,
                size,
                ResizeMode.SHORTER_SIDE_CENTER_CROP,
                3,
                List.of(0.485, 0.456, 0.406),
                List.of(0.229, 0.224, 0.225));
    }

    /** Grayscale {@code size x size}, stretched, mapped to about -1..1 (mean 0.5, std 0.5). */
    public static ImagePreprocessing grayscale(int size) {
        return new ImagePreprocessing(
                size, size, ResizeMode.STRETCH, 1, List.of(0.5), List.of(0.5));
    }

    /** A copy with another resize mode. */
    public ImagePreprocessing withResizeMode(ResizeMode mode) {
        return new ImagePreprocessing(height, width, mode, channels, mean, std);
    }

    /** A copy with another output size. */
    public ImagePreprocessing withSize(int newHeight, int newWidth) {
        return new ImagePreprocessing(newHeight, newWidth, resizeMode, channels, mean, std);
    }

    /** The number of floats in one preprocessed image, {@code channels * height * width}. */
    public int valuesPerImage() {
        return channels * height * width;
    }
}
