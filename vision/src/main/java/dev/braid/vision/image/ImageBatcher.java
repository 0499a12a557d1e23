package dev.braid.vision.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Preprocesses many images into one {@code [B, C, H, W]} float NDArray.
 *
 * <p>Every image is written straight into one direct buffer (its own slice), which becomes the
 * NDArray: the pixels are copied once from OpenCV into the buffer and once into the engine. The
 * images are preprocessed on the given executor; image {@code i} draws its augmentations from the
 * {@code i}-th generator split from the seed, so the result does not depend on the executor.
 */
public final class ImageBatcher {

    private final ImagePreprocessor preprocessor;
    private final Executor executor;

    /**
     * A batcher running {@code preprocessor} on {@code executor}.
     *
     * @param preprocessor how each image is prepared
     * @param executor where images are preprocessed, e.g. a fixed pool with one thread per core
     */
    public ImageBatcher(ImagePreprocessor preprocessor, Executor executor) {
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** A batcher preprocessing on the calling thread. */
    public static ImageBatcher sequential(ImagePreprocessor preprocessor) {
        return new ImageBatcher(preprocessor, Runnable::run);
    }

    /**
     * Preprocesses {@code sources} into one NDArray.
     *
     * @param manager the manager that will own the batch (normally a per-batch sub-manager)
     * @param sources the images, at least one
     * @param seed the seed augmentations are drawn from
     * @return float {@code [B, C, H, W]}, B = {@code sources.size()}
     * @throws ImageDecodeException for the first image that cannot be read; all others have
     *     finished by then
     */
    public NDArray batch(NDManager manager, List<? extends ImageSource> sources, long seed) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(
                    "sources is empty: a batch needs at least one image");
        }
        ImagePreprocessing config = preprocessor.config();
        int perImage = config.valuesPerImage();
        FloatBuffer buffer =
                ByteBuffer.allocateDirect(
                                Math.multiplyExact(sources.size(), perImage * Float.BYTES))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        SplittableRandom root = new SplittableRandom(seed);
        List<CompletableFuture<Void>> tasks = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            ImageSource source = sources.get(i);
            SplittableRandom random = root.split();
            int offset = i * perImage;
            tasks.add(
                    CompletableFuture.runAsync(
                            () -> preprocessor.processInto(source, random, buffer, offset),
                            executor));
        }
        try {
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        Shape shape = new Shape(sources.size(), config.channels(), config.height(), config.width());
        return manager.create(buffer, shape); // (B, C, H, W)
    }
}
