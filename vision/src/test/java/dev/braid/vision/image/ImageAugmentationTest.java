package dev.braid.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class ImageAugmentationTest {

    private static final ImagePreprocessing CONFIG =
            ImagePreprocessing.imagenet(16).withResizeMode(ResizeMode.STRETCH);

    /** A 24 x 24 image with no symmetry: a horizontal ramp in red, a vertical one in green. */
    private static final ImageSource IMAGE = ImageSource.of("ramp", ramp());

    private static byte[] ramp() {
        Mat image = TestImages.solid(24, 24, CvType.CV_8UC3, new Scalar(0, 0, 0));
        for (int row = 0; row < 24; row++) {
            for (int col = 0; col < 24; col++) {
                image.put(row, col, 40, 10 * row, 10 * col); // BGR
            }
        }
        return TestImages.encode(image, ".png");
    }

    private static float[] augmented(ImageAugmentation augmentation, long seed) {
        ImagePreprocessor preprocessor =
                new ImagePreprocessor(
                        CONFIG, new ImageDecoder(DecodeOptions.defaults()), augmentation);
        return preprocessor.process(IMAGE, new SplittableRandom(seed));
    }

    static Stream<Augmentation> everyAugmentation() {
        return Stream.of(
                Augmentation.RandomResizedCrop.standard(),
                new Augmentation.HorizontalFlip(1.0),
                new Augmentation.Rotation(15),
                new Augmentation.ColorJitter(0.4, 0.4),
                new Augmentation.GaussianNoise(0.05),
                new Augmentation.RandomErasing(1.0, 0.1, 0.3));
    }

    @ParameterizedTest
    @MethodSource("everyAugmentation")
    void eachAugmentationChangesTheImageAndRepeatsWithTheSameSeed(Augmentation step) {
        float[] plain = augmented(ImageAugmentation.none(), 1);
        float[] first = augmented(ImageAugmentation.of(step), 1);
        float[] again = augmented(ImageAugmentation.of(step), 1);
        assertFalse(Arrays.equals(plain, first), step + " left the image unchanged");
        assertArrayEquals(first, again, step + " is not deterministic for one seed");
    }

    @Test
    void theFullRecipeIsDeterministicPerSeedAndDiffersAcrossSeeds() {
        float[] a = augmented(ImageAugmentation.standard(), 42);
        assertArrayEquals(a, augmented(ImageAugmentation.standard(), 42));
        assertFalse(Arrays.equals(a, augmented(ImageAugmentation.standard(), 43)));
    }

    @Test
    void horizontalFlipMirrorsColumns() {
        float[] plain = augmented(ImageAugmentation.none(), 1);
        float[] flipped = augmented(ImageAugmentation.of(new Augmentation.HorizontalFlip(1.0)), 1);
        int size = 16;
        for (int c = 0; c < 3; c++) {
            for (int row = 0; row < size; row++) {
                for (int col = 0; col < size; col++) {
                    int base = (c * size + row) * size;
                    assertEquals(plain[base + col], flipped[base + size - 1 - col]);
                }
            }
        }
    }

    @Test
    void invalidSettingsNameFieldAndValue() {
        assertEquals(
                "probability (1.5) must be within [0, 1]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new Augmentation.HorizontalFlip(1.5))
                        .getMessage());
        assertEquals(
                "maxDegrees (0.0) must be within (0, 180]",
                assertThrows(IllegalArgumentException.class, () -> new Augmentation.Rotation(0))
                        .getMessage());
        assertEquals(
                "RandomResizedCrop must be the first step, found at index 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        ImageAugmentation.of(
                                                new Augmentation.HorizontalFlip(0.5),
                                                Augmentation.RandomResizedCrop.standard()))
                        .getMessage());
    }
}
