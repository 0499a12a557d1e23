package dev.braid.vision.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.vision.encoder.CnnImageEncoder;
import dev.braid.vision.encoder.ImageEncoderConfig;
import dev.braid.vision.image.ImageBatcher;
import dev.braid.vision.image.ImagePreprocessing;
import dev.braid.vision.image.ImagePreprocessor;
import dev.braid.vision.image.ImageSource;
import dev.braid.vision.image.SyntheticImages;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints throughput numbers for the vision module; a measurement, not a test.
 *
 * <ol>
 *   <li>Decode + resize (shorter side, centre crop) + normalise of 640 x 480 JPEGs to 224 x 224, in
 *       batches of 32 through {@link ImageBatcher}: on one thread, then on one thread per core.
 *   <li>{@link CnnImageEncoder} ({@link ImageEncoderConfig#small()}) inference forward of a batch
 *       of 32 RGB images at 64 x 64 and at 224 x 224.
 * </ol>
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -q -pl vision compile exec:java -Dexec.mainClass=dev.braid.vision.bench.VisionBenchmark
 * </pre>
 *
 * The JPEGs are generated in memory; nothing is read or downloaded. The machine's load average is
 * printed first: on a shared machine, PyTorch's spinning worker threads make the encoder numbers
 * swing by ten times with other work running, so the encoder reports the median and the best of
 * several batches.
 */
public final class VisionBenchmark {

    private static final int BATCH = 32;
    private static final int DISTINCT_IMAGES = 64;

    private VisionBenchmark() {}

    /** Runs every measurement and prints one line per result. */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "Braid vision benchmark: %d cores, Java %s, engine %s, load average %.2f%n",
                cores,
                Runtime.version(),
                Engine.getInstance().getEngineName(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        List<ImageSource> jpegs = new ArrayList<>();
        for (int i = 0; i < DISTINCT_IMAGES; i++) {
            jpegs.add(ImageSource.of("synthetic-" + i, SyntheticImages.jpeg(640, 480, i)));
        }
        ImagePreprocessor preprocessor = ImagePreprocessor.of(ImagePreprocessing.imagenet(224));
        preprocessing("1 thread", ImageBatcher.sequential(preprocessor), jpegs);
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            preprocessing(cores + " threads", new ImageBatcher(preprocessor, pool), jpegs);
        } finally {
            pool.shutdownNow();
        }

        encoder(64, 15);
        encoder(224, 5);
    }

    private static void preprocessing(String label, ImageBatcher batcher, List<ImageSource> jpegs) {
        try (NDManager manager = NDManager.newBaseManager()) {
            runBatches(manager, batcher, jpegs); // warm-up
            int rounds = 3;
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                runBatches(manager, batcher, jpegs);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "preprocess 640x480 JPEG -> 3x224x224 float, %-9s: %7.1f images/s%n",
                    label, rounds * jpegs.size() / seconds);
        }
    }

    private static void runBatches(
            NDManager manager, ImageBatcher batcher, List<ImageSource> jpegs) {
        for (int start = 0; start < jpegs.size(); start += BATCH) {
            try (NDManager batch = manager.newSubManager()) {
                batcher.batch(batch, jpegs.subList(start, start + BATCH), start);
            }
        }
    }

    private static void encoder(int size, int rounds) {
        Engine.getInstance().setRandomSeed(0);
        Shape shape = new Shape(BATCH, 3, size, size);
        try (NDManager manager = NDManager.newBaseManager()) {
            CnnImageEncoder encoder = new CnnImageEncoder(ImageEncoderConfig.small());
            encoder.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore parameters = new ParameterStore(manager, false);
            float[] pixels = manager.randomNormal(shape).toFloatArray();
            forward(manager, encoder, parameters, pixels, shape); // warm-up
            long[] nanos = new long[rounds];
            Shape tokens = null;
            for (int r = 0; r < rounds; r++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray images = batch.create(pixels, shape); // (B, C, H, W)
                    long start = System.nanoTime();
                    tokens = forward(encoder, parameters, images);
                    nanos[r] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            double median = nanos[rounds / 2] / 1e9;
            double best = nanos[0] / 1e9;
            System.out.printf(
                    "encoder small() forward, batch 32 at %dx%d -> tokens %s: %7.1f images/s"
                            + " (median of %d: %.0f ms per batch; best %.0f ms = %.1f images/s)%n",
                    size,
                    size,
                    tokens,
                    BATCH / median,
                    rounds,
                    1000 * median,
                    1000 * best,
                    BATCH / best);
        }
    }

    private static void forward(
            NDManager manager,
            CnnImageEncoder encoder,
            ParameterStore parameters,
            float[] pixels,
            Shape shape) {
        try (NDManager batch = manager.newSubManager()) {
            forward(encoder, parameters, batch.create(pixels, shape));
        }
    }

    /** One inference forward; reads the tokens back so the work is really done. */
    private static Shape forward(
            CnnImageEncoder encoder, ParameterStore parameters, NDArray images) {
        NDArray tokens = encoder.forward(parameters, new NDList(images), false).get(0);
        tokens.toFloatArray();
        return tokens.getShape(); // (B, L, D)
    }
}
