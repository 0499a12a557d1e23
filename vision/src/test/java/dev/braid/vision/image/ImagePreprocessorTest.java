package dev.braid.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class ImagePreprocessorTest {

    /** Identity normalisation (mean 0, std 1): outputs are value / 255. */
    private static ImagePreprocessing plain(int height, int width, ResizeMode mode) {
        return new ImagePreprocessing(
                height, width, mode, 3, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));
    }

    private static float[] run(ImagePreprocessing config, byte[] image) {
        return ImagePreprocessor.of(config)
                .process(ImageSource.of("test", image), new SplittableRandom(0));
    }

    /** Value of channel c at (row, col) in a [C, H, W] array. */
    private static float at(float[] chw, ImagePreprocessing config, int c, int row, int col) {
        return chw[(c * config.height() + row) * config.width() + col];
    }

    @ParameterizedTest
    @EnumSource(ResizeMode.class)
    void everyResizeModeGivesTheOutputSizeFromWideAndTallImages(ResizeMode mode) {
        for (Mat image :
                List.of(
                        TestImages.solid(23, 37, CvType.CV_8UC3, new Scalar(1, 2, 3)),
                        TestImages.solid(41, 9, CvType.CV_8UC3, new Scalar(1, 2, 3)))) {
            Mat out = Resizer.resize(image, 7, 10, mode, new Scalar(0, 0, 0));
            assertEquals(7, out.rows(), mode + " rows from " + image.size());
            assertEquals(10, out.cols(), mode + " cols from " + image.size());
        }
    }

    @Test
    void stretchGivesTheOutputSize() {
        ImagePreprocessing config = plain(6, 10, ResizeMode.STRETCH);
        float[] out = run(config, TestImages.png(40, 20, new Scalar(0, 0, 255)));
        assertEquals(3 * 6 * 10, out.length);
        assertEquals(1f, at(out, config, 0, 5, 9)); // red everywhere
        assertEquals(0f, at(out, config, 2, 5, 9));
    }

    @Test
    void letterboxPadsAboveAndBelowAWideImage() {
        // 32 wide x 16 tall white into 16 x 16: scale 1/2 gives 16 x 8, so rows 0-3 and 12-15
        // are padding (mean colour, here black = 0) and rows 4-11 are the image (1).
        ImagePreprocessing config = plain(16, 16, ResizeMode.LETTERBOX);
        float[] out = run(config, TestImages.png(16, 32, new Scalar(255, 255, 255)));
        for (int row = 0; row < 16; row++) {
            float expected = row >= 4 && row < 12 ? 1f : 0f;
            assertEquals(expected, at(out, config, 1, row, 7), "row " + row);
        }
    }

    @Test
    void letterboxPadsLeftAndRightOfATallImageWithTheMeanColour() {
        // 8 wide x 32 tall into 16 x 16: scale 1/2 gives 4 x 16; columns 0-5 and 10-15 padding.
        // Padding is the mean colour, round(0.5 * 255) = 128, so it normalises to
        // (128 / 255 - 0.5) / 0.5 = 0.00392.
        ImagePreprocessing config =
                new ImagePreprocessing(
                        16,
                        16,
                        ResizeMode.LETTERBOX,
                        3,
                        List.of(0.5, 0.5, 0.5),
                        List.of(0.5, 0.5, 0.5));
        float[] out = run(config, TestImages.png(32, 8, new Scalar(0, 0, 0)));
        assertEquals(0.00392f, at(out, config, 0, 8, 0), 1e-5f);
        assertEquals(0.00392f, at(out, config, 0, 8, 15), 1e-5f);
        assertEquals(-1f, at(out, config, 0, 8, 6), 1e-6f); // black image: (0 - 0.5) / 0.5
        assertEquals(-1f, at(out, config, 0, 8, 9), 1e-6f);
    }

    @Test
    void shorterSideCenterCropKeepsTheMiddle() {
        // 32 wide x 16 tall: left quarter red, middle half green, right quarter blue.
        // Shorter side 16 -> 8 halves everything (32 x 16 -> 16 x 8), the central 8 x 8 window
        // is original columns 8..23, all green.
        Mat image = TestImages.solid(16, 32, CvType.CV_8UC3, new Scalar(0, 255, 0));
        image.submat(0, 16, 0, 8).setTo(new Scalar(0, 0, 255));
        image.submat(0, 16, 24, 32).setTo(new Scalar(255, 0, 0));
        ImagePreprocessing config = plain(8, 8, ResizeMode.SHORTER_SIDE_CENTER_CROP);
        float[] out = run(config, TestImages.encode(image, ".png"));
        for (int col = 0; col < 8; col++) {
            assertArrayEquals(
                    new float[] {0, 1, 0},
                    new float[] {
                        at(out, config, 0, 4, col),
                        at(out, config, 1, 4, col),
                        at(out, config, 2, 4, col)
                    },
                    "column " + col);
        }
    }

    @Test
    void normalisationMatchesHandComputedValues() {
        // Pixel (R, G, B) = (255, 128, 0), mean 0.5 each, std (0.5, 0.25, 0.5):
        // R (1 - 0.5) / 0.5 = 1; G (128/255 - 0.5) / 0.25 = 0.0078431; B (0 - 0.5) / 0.5 = -1.
        ImagePreprocessing config =
                new ImagePreprocessing(
                        8,
                        8,
                        ResizeMode.STRETCH,
                        3,
                        List.of(0.5, 0.5, 0.5),
                        List.of(0.5, 0.25, 0.5));
        float[] out = run(config, TestImages.png(8, 8, new Scalar(0, 128, 255)));
        assertEquals(1f, out[0], 1e-6f); // channel R, first pixel
        assertEquals(0.0078431f, out[64], 1e-6f); // channel G starts after H * W = 64
        assertEquals(-1f, out[128], 1e-6f); // channel B
    }

    @Test
    void grayscaleUsesLuma() {
        // Pure red: luma 0.299 * 255 = 76.2, stored as 76; with mean 0, std 1: 76 / 255.
        ImagePreprocessing config =
                new ImagePreprocessing(8, 8, ResizeMode.STRETCH, 1, List.of(0.0), List.of(1.0));
        float[] out = run(config, TestImages.png(8, 8, new Scalar(0, 0, 255)));
        assertEquals(64, out.length);
        assertEquals(76f / 255f, out[10], 1e-6f);
    }

    @Test
    void areaInterpolationWhenShrinkingBilinearWhenEnlarging() {
        assertEquals(Imgproc.INTER_AREA, Resizer.interpolation(100, 80, 50, 40));
        assertEquals(Imgproc.INTER_LINEAR, Resizer.interpolation(100, 80, 200, 40));
        assertEquals(Imgproc.INTER_LINEAR, Resizer.interpolation(10, 10, 20, 20));
    }

    @Test
    void configurationErrorsNameFieldAndValue() {
        assertEquals(
                "channels (2) must be 1 or 3",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new ImagePreprocessing(
                                                8,
                                                8,
                                                ResizeMode.STRETCH,
                                                2,
                                                List.of(0.0, 0.0),
                                                List.of(1.0, 1.0)))
                        .getMessage());
        assertEquals(
                "mean [0.5] must have one value per channel (3)",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new ImagePreprocessing(
                                                8,
                                                8,
                                                ResizeMode.STRETCH,
                                                3,
                                                List.of(0.5),
                                                List.of(1.0, 1.0, 1.0)))
                        .getMessage());
        assertEquals(
                "red (300) must be within 0..255",
                assertThrows(IllegalArgumentException.class, () -> new Rgb(300, 0, 0))
                        .getMessage());
        assertEquals(
                "DecodeOptions.maxPixels (0) must be positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> DecodeOptions.defaults().withMaxPixels(0))
                        .getMessage());
    }
}
