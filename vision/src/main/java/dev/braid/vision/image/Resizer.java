package dev.braid.vision.image;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** The three {@link ResizeMode}s on OpenCV images; area interpolation when shrinking. */
final class Resizer {

    private Resizer() {}

    /**
     * Brings {@code image} to {@code height x width}. Returns a new {@code Mat}; the input is left
     * unchanged.
     *
     * @param pad the colour of letterbox padding
     */
    static Mat resize(Mat image, int height, int width, ResizeMode mode, Scalar pad) {
        return switch (mode) {
            case STRETCH -> scale(image, height, width);
            case LETTERBOX -> letterbox(image, height, width, pad);
            case SHORTER_SIDE_CENTER_CROP -> centerCrop(image, height, width);
        };
    }

    /** Scales to exactly {@code height x width}. */
    static Mat scale(Mat image, int height, int width) {
        Mat out = new Mat();
        if (image.rows() == height && image.cols() == width) {
            image.copyTo(out);
            return out;
        }
        Imgproc.resize(
                image,
                out,
                new Size(width, height),
                0,
                0,
                interpolation(image.rows(), image.cols(), height, width));
        return out;
    }

    /**
     * Area averaging when no axis grows (no aliasing when shrinking); bilinear otherwise (area
     * would give blocky nearest-neighbour results when enlarging).
     */
    static int interpolation(int fromHeight, int fromWidth, int toHeight, int toWidth) {
        return toHeight <= fromHeight && toWidth <= fromWidth
                ? Imgproc.INTER_AREA
                : Imgproc.INTER_LINEAR;
    }

    private static Mat letterbox(Mat image, int height, int width, Scalar pad) {
        double factor = Math.min((double) height / image.rows(), (double) width / image.cols());
        int innerHeight = clamp((int) Math.round(image.rows() * factor), height);
        int innerWidth = clamp((int) Math.round(image.cols() * factor), width);
        Mat inner = scale(image, innerHeight, innerWidth);
        int top = (height - innerHeight) / 2;
        int left = (width - innerWidth) / 2;
        Mat out = new Mat();
        Core.copyMakeBorder(
                inner,
                out,
                top,
                height - innerHeight - top,
                left,
                width - innerWidth - left,
                Core.BORDER_CONSTANT,
                pad);
        inner.release();
        return out;
    }

    private static Mat centerCrop(Mat image, int height, int width) {
        double factor = Math.max((double) height / image.rows(), (double) width / image.cols());
        int scaledHeight = Math.max(height, (int) Math.round(image.rows() * factor));
        int scaledWidth = Math.max(width, (int) Math.round(image.cols() * factor));
        Mat scaled = scale(image, scaledHeight, scaledWidth);
        Rect window =
                new Rect((scaledWidth - width) / 2, (scaledHeight - height) / 2, width, height);
        Mat out = new Mat();
        scaled.submat(window).copyTo(out);
        scaled.release();
        return out;
    }

    private static int clamp(int size, int limit) {
        return Math.max(1, Math.min(limit, size));
    }
}
