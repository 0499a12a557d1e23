package dev.braid.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ImageBatcherTest {

    private static final ImagePreprocessing CONFIG = ImagePreprocessing.imagenet(12);

    private static List<ImageSource> images(int count) {
        List<ImageSource> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(ImageSource.of("synthetic " + i, SyntheticImages.jpeg(40, 30, i)));
        }
        return sources;
    }

    private static ImagePreprocessor augmenting() {
        return new ImagePreprocessor(
                CONFIG, new ImageDecoder(DecodeOptions.defaults()), ImageAugmentation.standard());
    }

    @Test
    void batchIsOneArrayWhoseRowsAreThePreprocessedImages() {
        List<ImageSource> sources = images(3);
        ImagePreprocessor preprocessor = ImagePreprocessor.of(CONFIG);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = ImageBatcher.sequential(preprocessor).batch(manager, sources, 0);
            assertEquals(new Shape(3, 3, 12, 12), batch.getShape());
            assertEquals(DataType.FLOAT32, batch.getDataType());
            for (int i = 0; i < 3; i++) {
                float[] alone = preprocessor.process(sources.get(i), new SplittableRandom(0));
                assertArrayEquals(alone, batch.get(i).toFloatArray(), "image " + i);
            }
        }
    }

    @Test
    void parallelBatchingEqualsSequentialWithAugmentation() {
        List<ImageSource> sources = images(6);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] sequential =
                    ImageBatcher.sequential(augmenting()).batch(manager, sources, 9).toFloatArray();
            float[] parallel =
                    new ImageBatcher(augmenting(), pool).batch(manager, sources, 9).toFloatArray();
            assertArrayEquals(sequential, parallel);
            float[] otherSeed =
                    new ImageBatcher(augmenting(), pool).batch(manager, sources, 10).toFloatArray();
            assertFalse(Arrays.equals(sequential, otherSeed));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBadImageFailsTheBatchNamingThatImage() {
        List<ImageSource> sources = new ArrayList<>(images(2));
        sources.add(ImageSource.of("broken.jpg", new byte[] {(byte) 0xff, (byte) 0xd8}));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            ImageDecodeException e =
                    assertThrows(
                            ImageDecodeException.class,
                            () ->
                                    new ImageBatcher(ImagePreprocessor.of(CONFIG), pool)
                                            .batch(manager, sources, 0));
            assertEquals("broken.jpg", e.source());
        } finally {
            pool.shutdownNow();
        }
    }
}
