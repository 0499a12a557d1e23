package dev.braid.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeOptions.defaults());

    private Mat decode(byte[] bytes) {
        return decoder.decode(ImageSource.of("test", bytes));
    }

    @Test
    void pureRedComesOutInRgbOrder() {
        Mat rgb = decode(TestImages.png(8, 8, new Scalar(0, 0, 255))); // BGR red
        assertEquals(CvType.CV_8UC3, rgb.type());
        assertArrayEquals(new int[] {255, 0, 0}, TestImages.pixel(rgb, 3, 3));
    }

    @Test
    void grayIsReplicatedToThreeChannels() {
        Mat rgb =
                decode(
                        TestImages.encode(
                                TestImages.solid(8, 9, CvType.CV_8UC1, new Scalar(77)), ".png"));
        assertEquals(new Size(9, 8), rgb.size());
        assertArrayEquals(new int[] {77, 77, 77}, TestImages.pixel(rgb, 0, 0));
    }

    @Test
    void alphaIsCompositedOnTheConfiguredBackground() {
        Mat bgra = TestImages.solid(8, 8, CvType.CV_8UC4, new Scalar(0, 0, 255, 128)); // red, a=128
        bgra.submat(0, 1, 0, 1).setTo(new Scalar(0, 255, 0, 0)); // transparent green
        bgra.submat(0, 1, 1, 2).setTo(new Scalar(0, 255, 0, 255)); // opaque green
        ImageDecoder onBlue =
                new ImageDecoder(DecodeOptions.defaults().withBackground(new Rgb(0, 0, 255)));
        Mat rgb = onBlue.decode(ImageSource.of("rgba", TestImages.encode(bgra, ".png")));
        // By hand: red 255 * 128/255 + 0 * 127/255 = 128; blue 0 * 128/255 + 255 * 127/255 = 127.
        assertArrayEquals(new int[] {128, 0, 127}, TestImages.pixel(rgb, 4, 4));
        assertArrayEquals(new int[] {0, 0, 255}, TestImages.pixel(rgb, 0, 0));
        assertArrayEquals(new int[] {0, 255, 0}, TestImages.pixel(rgb, 0, 1));
    }

    @Test
    void sixteenBitSamplesAreScaledToEightBits() {
        Mat gray16 = TestImages.solid(8, 8, CvType.CV_16UC1, new Scalar(65535));
        gray16.submat(0, 1, 0, 1).setTo(new Scalar(257 * 100)); // exactly 100 in 8 bits
        Mat rgb = decode(TestImages.encode(gray16, ".png"));
        assertArrayEquals(new int[] {255, 255, 255}, TestImages.pixel(rgb, 4, 4));
        assertArrayEquals(new int[] {100, 100, 100}, TestImages.pixel(rgb, 0, 0));

        Mat bgr16 = TestImages.solid(8, 8, CvType.CV_16UC3, new Scalar(0, 257 * 20, 65535));
        assertArrayEquals(
                new int[] {255, 20, 0},
                TestImages.pixel(decode(TestImages.encode(bgr16, ".png")), 1, 1));
    }

    @Test
    void jpegAndBmpDecode() {
        Mat red = TestImages.solid(8, 8, CvType.CV_8UC3, new Scalar(0, 0, 255));
        int[] jpeg = TestImages.pixel(decode(TestImages.encode(red, ".jpg")), 4, 4);
        assertTrue(
                jpeg[0] > 240 && jpeg[1] < 16 && jpeg[2] < 16,
                "lossy red " + Arrays.toString(jpeg));
        assertArrayEquals(
                new int[] {255, 0, 0},
                TestImages.pixel(decode(TestImages.encode(red, ".bmp")), 4, 4));
    }

    @Test
    void webpDecodesWhereOpenCvHasTheCodec() {
        assumeTrue(Imgcodecs.haveImageWriter(".webp"), "OpenCV built without WebP");
        Mat red = TestImages.solid(8, 8, CvType.CV_8UC3, new Scalar(0, 0, 255));
        byte[] lossless = TestImages.encode(red, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101);
        assertArrayEquals(new int[] {255, 0, 0}, TestImages.pixel(decode(lossless), 4, 4));
    }

    @Test
    void jpegExifOrientationIsHonoured() {
        // Stored 16 wide x 8 tall: left half red, right half blue.
        Mat stored = TestImages.solid(8, 16, CvType.CV_8UC3, new Scalar(255, 0, 0)); // BGR blue
        stored.submat(0, 8, 0, 8).setTo(new Scalar(0, 0, 255)); // BGR red
        byte[] plain = TestImages.encode(stored, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 100);
        // Orientation 6: display rotated 90 degrees clockwise, so the stored left edge is on top.
        Mat shown = decode(TestImages.withExifOrientation(plain, 6));
        assertEquals(8, shown.cols());
        assertEquals(16, shown.rows());
        int[] top = TestImages.pixel(shown, 2, 4);
        int[] bottom = TestImages.pixel(shown, 13, 4);
        assertTrue(top[0] > 200 && top[2] < 50, "top should be red: " + Arrays.toString(top));
        assertTrue(
                bottom[2] > 200 && bottom[0] < 50,
                "bottom should be blue: " + Arrays.toString(bottom));
        // Without the tag nothing turns.
        assertEquals(16, decode(plain).cols());
    }

    @Test
    void probeReadsTheSizeOfEveryFormatWithoutDecoding() {
        Mat image = TestImages.solid(10, 13, CvType.CV_8UC3, new Scalar(1, 2, 3));
        Mat withAlpha = TestImages.solid(10, 13, CvType.CV_8UC4, new Scalar(1, 2, 3, 100));
        assertHeader(ImageFormat.PNG, TestImages.encode(image, ".png"));
        assertHeader(ImageFormat.JPEG, TestImages.encode(image, ".jpg"));
        assertHeader(
                ImageFormat.JPEG,
                TestImages.withExifOrientation(TestImages.encode(image, ".jpg"), 1));
        assertHeader(ImageFormat.BMP, TestImages.encode(image, ".bmp"));
        if (Imgcodecs.haveImageWriter(".webp")) {
            assertHeader(
                    ImageFormat.WEBP,
                    TestImages.encode(image, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80)); // VP8
            assertHeader(
                    ImageFormat.WEBP,
                    TestImages.encode(image, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 101)); // VP8L
            assertHeader(
                    ImageFormat.WEBP,
                    TestImages.encode(
                            withAlpha, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80)); // VP8X
        }
    }

    private void assertHeader(ImageFormat format, byte[] bytes) {
        assertEquals(
                new ImageHeader(format, 13, 10), decoder.probe(ImageSource.of("probe", bytes)));
    }
}
