package dev.braid.vision.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.braid.tensor.MaskedMean;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Trains the encoder alone, with a linear head on its pooled tokens, to tell four shapes apart, and
 * checks it does clearly better than chance (0.25) on images it never saw.
 */
class CnnImageEncoderLearningTest {

    private static final int SIZE = 16;
    private static final int CLASSES = 4; // circle, square, triangle, cross
    private static final int BATCH = 32;

    @Test
    void learnsToClassifyShapesOnHeldOutImages() {
        Engine.getInstance().setRandomSeed(7);
        SplittableRandom random = new SplittableRandom(7);
        Shapes train = Shapes.draw(512, random.split());
        Shapes test = Shapes.draw(256, random.split());

        SequentialBlock model =
                new SequentialBlock()
                        .add(new CnnImageEncoder(ImageEncoderConfig.tiny()))
                        .add(out -> new NDList(MaskedMean.of(out))) // (B, D)
                        .add(Linear.builder().setUnits(CLASSES).build()); // (B, classes)
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(0.01f))
                                        .build());
        try (Model holder = Model.newInstance("shapes");
                Trainer trainer = newTrainer(holder, model, config)) {
            double firstEpochLoss = 0;
            double lastEpochLoss = 0;
            int epochs = 8;
            for (int epoch = 0; epoch < epochs; epoch++) {
                double lossSum = 0;
                int batches = 0;
                for (int start = 0; start < train.count; start += BATCH) {
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray images = train.images(batch, start, BATCH);
                        NDArray labels = train.labels(batch, start, BATCH);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(images)).singletonOrThrow();
                            NDArray loss =
                                    trainer.getLoss()
                                            .evaluate(new NDList(labels), new NDList(logits));
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        trainer.step();
                        batches++;
                    }
                }
                if (epoch == 0) {
                    firstEpochLoss = lossSum / batches;
                }
                lastEpochLoss = lossSum / batches;
            }
            int correct = 0;
            for (int start = 0; start < test.count; start += BATCH) {
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDArray logits =
                            trainer.evaluate(new NDList(test.images(batch, start, BATCH)))
                                    .singletonOrThrow();
                    long[] predicted = logits.argMax(1).toLongArray();
                    for (int i = 0; i < predicted.length; i++) {
                        correct += predicted[i] == test.labels[start + i] ? 1 : 0;
                    }
                }
            }
            double accuracy = (double) correct / test.count;
            assertTrue(
                    lastEpochLoss < 0.5 * firstEpochLoss,
                    "loss " + firstEpochLoss + " -> " + lastEpochLoss + " should at least halve");
            assertTrue(accuracy > 0.8, "held-out accuracy " + accuracy + " should exceed 0.8");
        }
    }

    private static Trainer newTrainer(
            Model holder, SequentialBlock model, DefaultTrainingConfig config) {
        holder.setBlock(model);
        Trainer trainer = holder.newTrainer(config);
        trainer.initialize(new Shape(BATCH, 1, SIZE, SIZE));
        return trainer;
    }

    /** Gray shapes at random places and sizes, with noise, drawn by plain geometry. */
    private static final class Shapes {
        final int count;
        final float[] pixels;
        final int[] labels;

        private Shapes(int count) {
            this.count = count;
            this.pixels = new float[count * SIZE * SIZE];
            this.labels = new int[count];
        }

        static Shapes draw(int count, SplittableRandom random) {
            Shapes shapes = new Shapes(count);
            for (int n = 0; n < count; n++) {
                int label = n % CLASSES;
                shapes.labels[n] = label;
                double r = 3 + 3 * random.nextDouble(); // half-size 3..6 px
                double cx = r + random.nextDouble() * (SIZE - 1 - 2 * r);
                double cy = r + random.nextDouble() * (SIZE - 1 - 2 * r);
                double ink = 0.7 + 0.3 * random.nextDouble();
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        double dx = x - cx;
                        double dy = y - cy;
                        boolean inside =
                                switch (label) {
                                    case 0 -> dx * dx + dy * dy <= r * r;
                                    case 1 -> Math.abs(dx) <= r && Math.abs(dy) <= r;
                                    case 2 -> dy >= -r && dy <= r && Math.abs(dx) <= (dy + r) / 2;
                                    default ->
                                            (Math.abs(dx) <= 1 && Math.abs(dy) <= r)
                                                    || (Math.abs(dy) <= 1 && Math.abs(dx) <= r);
                                };
                        double value = (inside ? ink : 0) + 0.1 * random.nextGaussian();
                        shapes.pixels[n * SIZE * SIZE + y * SIZE + x] = (float) value;
                    }
                }
            }
            return shapes;
        }

        NDArray images(NDManager manager, int start, int size) {
            float[] slice = new float[size * SIZE * SIZE];
            System.arraycopy(pixels, start * SIZE * SIZE, slice, 0, slice.length);
            return manager.create(slice, new Shape(size, 1, SIZE, SIZE)); // (B, 1, H, W)
        }

        NDArray labels(NDManager manager, int start, int size) {
            float[] slice = new float[size];
            for (int i = 0; i < size; i++) {
                slice[i] = labels[start + i];
            }
            return manager.create(slice, new Shape(size));
        }
    }
}
