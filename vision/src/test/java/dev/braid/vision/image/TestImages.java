package dev.braid.vision.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** Builds encoded test images in memory with OpenCV; colours are given as OpenCV BGR(A). */
final class TestImages {

    static {
        OpenCvNatives.load();
    }

    private TestImages() {}

    /** A {@code rows x cols} image of one colour; {@code type} e.g. {@code CvType.CV_8UC3}. */
    static Mat solid(int rows, int cols, int type, Scalar bgr) {
        return new Mat(rows, cols, type, bgr);
    }

    /** Encodes with the codec for {@code extension} (".png", ".jpg", ".bmp", ".webp"). */
    static byte[] encode(Mat image, String extension, int... params) {
        MatOfByte encoded = new MatOfByte();
        if (!Imgcodecs.imencode(extension, image, encoded, new MatOfInt(params))) {
            throw new IllegalStateException("OpenCV cannot encode " + extension);
        }
        return encoded.toArray();
    }

    /** A solid BGR colour encoded as PNG. */
    static byte[] png(int rows, int cols, Scalar bgr) {
        return encode(solid(rows, cols, CvType.CV_8UC3, bgr), ".png");
    }

    /**
     * {@code jpeg} with an EXIF APP1 segment inserted after the start-of-image marker, holding one
     * IFD0 entry: Orientation (tag 0x0112, type SHORT) = {@code orientation}. Big-endian TIFF.
     */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] app1 = {
            (byte) 0xff,
            (byte) 0xe1,
            0,
            34, // APP1 marker, segment length 34 (excludes marker)
            'E',
            'x',
            'i',
            'f',
            0,
            0, // Exif identifier
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8, // TIFF header: big-endian, magic 42, IFD0 at offset 8
            0,
            1, // one IFD entry
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0, // Orientation, SHORT, 1
            0,
            0,
            0,
            0 // no next IFD
        };
        byte[] out = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1, 0, out, 2, app1.length);
        System.arraycopy(jpeg, 2, out, 2 + app1.length, jpeg.length - 2);
        return out;
    }

    /** The RGB (or gray) samples of pixel (row, col) of an 8-bit image. */
    static int[] pixel(Mat image, int row, int col) {
        double[] values = image.get(row, col);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }
}
