package dev.braid.vision.image;

import java.util.SplittableRandom;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Encoded images made up on the spot — coloured shapes on a gradient — for benchmarks and examples
 * that must not read files.
 */
public final class SyntheticImages {

    private SyntheticImages() {}

    /**
     * A JPEG (quality 90) of {@code width x height} pixels showing random shapes.
     *
     * @param seed the same seed gives the same bytes
     */
    public static byte[] jpeg(int width, int height, long seed) {
        OpenCvNatives.load();
        SplittableRandom random = new SplittableRandom(seed);
        Mat image = new Mat(height, width, CvType.CV_8UC3);
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                pixels[i] = (byte) (255 * x / width);
                pixels[i + 1] = (byte) (255 * y / height);
                pixels[i + 2] = (byte) 128;
            }
        }
        image.put(0, 0, pixels);
        for (int s = 0; s < 12; s++) {
            Scalar colour =
                    new Scalar(random.nextInt(256), random.nextInt(256), random.nextInt(256));
            Point centre = new Point(random.nextInt(width), random.nextInt(height));
            int size = 4 + random.nextInt(Math.max(1, Math.min(width, height) / 4));
            if (random.nextBoolean()) {
                Imgproc.circle(image, centre, size, colour, -1);
            } else {
                Imgproc.rectangle(
                        image,
                        new Point(centre.x - size, centre.y - size),
                        new Point(centre.x + size, centre.y + size),
                        colour,
                        -1);
            }
        }
        MatOfByte encoded = new MatOfByte();
        Imgcodecs.imencode(
                ".jpg", image, encoded, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        byte[] bytes = encoded.toArray();
        image.release();
        encoded.release();
        return bytes;
    }
}
