package dev.braid.vision.image;

import java.util.random.RandomGenerator;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Applies {@link Augmentation}s to 8-bit OpenCV images, drawing only from the given generator. */
final class Augmenter {

    private static final int MAX_CROP_TRIES = 10;

    private Augmenter() {}

    /**
     * A random window of {@code image} stretched to {@code height x width}, as torchvision's
     * RandomResizedCrop: up to ten draws of area and ratio, then the whole image if none fits.
     */
    static Mat randomResizedCrop(
            Augmentation.RandomResizedCrop crop,
            Mat image,
            int height,
            int width,
            RandomGenerator random) {
        int rows = image.rows();
        int cols = image.cols();
        double area = (double) rows * cols;
        Rect window = new Rect(0, 0, cols, rows);
        for (int attempt = 0; attempt < MAX_CROP_TRIES; attempt++) {
            double target = area * uniform(random, crop.minScale(), crop.maxScale());
            double ratio =
                    Math.exp(uniform(random, Math.log(crop.minRatio()), Math.log(crop.maxRatio())));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w >= 1 && h >= 1 && w <= cols && h <= rows) {
                window = new Rect(random.nextInt(cols - w + 1), random.nextInt(rows - h + 1), w, h);
                break;
            }
        }
        return Resizer.scale(image.submat(window), height, width);
    }

    /** Applies one augmentation other than the crop to {@code image} in place. */
    static void apply(Augmentation step, Mat image, RandomGenerator random) {
        if (step instanceof Augmentation.HorizontalFlip flip) {
            if (random.nextDouble() < flip.probability()) {
                Core.flip(image, image, 1);
            }
        } else if (step instanceof Augmentation.Rotation rotation) {
            double degrees = uniform(random, -rotation.maxDegrees(), rotation.maxDegrees());
            Point centre = new Point((image.cols() - 1) / 2.0, (image.rows() - 1) / 2.0);
            Mat matrix = Imgproc.getRotationMatrix2D(centre, degrees, 1.0);
            Mat rotated = new Mat(); // warpAffine cannot work in place
            Imgproc.warpAffine(
                    image,
                    rotated,
                    matrix,
                    new Size(image.cols(), image.rows()),
                    Imgproc.INTER_LINEAR,
                    Core.BORDER_REFLECT_101);
            rotated.copyTo(image);
            rotated.release();
            matrix.release();
        } else if (step instanceof Augmentation.ColorJitter jitter) {
            double brightness = uniform(random, 1 - jitter.brightness(), 1 + jitter.brightness());
            double contrast = uniform(random, 1 - jitter.contrast(), 1 + jitter.contrast());
            // y = contrast * (brightness * x - m) + m, m the mean of brightness * x.
            double mean = brightness * meanIntensity(image);
            image.convertTo(image, -1, contrast * brightness, (1 - contrast) * mean);
        } else if (step instanceof Augmentation.GaussianNoise noise) {
            addNoise(image, noise.std() * 255, random);
        } else if (step instanceof Augmentation.RandomErasing erasing) {
            if (random.nextDouble() < erasing.probability()) {
                erase(erasing, image, random);
            }
        } else if (step instanceof Augmentation.RandomResizedCrop) {
            throw new IllegalArgumentException("RandomResizedCrop replaces the resize step");
        }
    }

    private static double meanIntensity(Mat image) {
        Scalar perChannel = Core.mean(image);
        double sum = 0;
        for (int c = 0; c < image.channels(); c++) {
            sum += perChannel.val[c];
        }
        return sum / image.channels();
    }

    private static void addNoise(Mat image, double sigma, RandomGenerator random) {
        byte[] samples = new byte[(int) image.total() * image.channels()];
        image.get(0, 0, samples);
        for (int i = 0; i < samples.length; i++) {
            long noisy = Math.round((samples[i] & 0xff) + sigma * random.nextGaussian());
            samples[i] = (byte) Math.max(0, Math.min(255, noisy));
        }
        image.put(0, 0, samples);
    }

    private static void erase(
            Augmentation.RandomErasing erasing, Mat image, RandomGenerator random) {
        int rows = image.rows();
        int cols = image.cols();
        double target =
                (double) rows * cols * uniform(random, erasing.minArea(), erasing.maxArea());
        double ratio = Math.exp(uniform(random, Math.log(0.3), Math.log(3.3)));
        int w = Math.max(1, Math.min(cols, (int) Math.round(Math.sqrt(target * ratio))));
        int h = Math.max(1, Math.min(rows, (int) Math.round(Math.sqrt(target / ratio))));
        Rect box = new Rect(random.nextInt(cols - w + 1), random.nextInt(rows - h + 1), w, h);
        Scalar colour = new Scalar(random.nextInt(256), random.nextInt(256), random.nextInt(256));
        image.submat(box).setTo(colour);
    }

    private static double uniform(RandomGenerator random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
