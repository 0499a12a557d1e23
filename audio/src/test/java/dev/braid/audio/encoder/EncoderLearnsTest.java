package dev.braid.audio.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import dev.braid.audio.augment.AdditiveNoise;
import dev.braid.audio.features.FeatureNormalization;
import dev.braid.audio.features.Features;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.features.LogMelExtractor;
import dev.braid.audio.signal.Waveform;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Trains the encoder with a linear head on four kinds of synthetic sound and checks that it tells
 * them apart on held-out clips.
 */
class EncoderLearnsTest {

    private static final int RATE = 16_000;
    private static final int CLASSES = 4;
    private static final LogMelConfig FEATURES =
            LogMelConfig.builder()
                    .nMels(32)
                    .normalization(FeatureNormalization.PER_UTTERANCE)
                    .build();
    private static final int WIDTH = FEATURES.frames(0.5);

    /**
     * Class 0 low tone (200–500 Hz), 1 high tone (1.5–3 kHz), 2 rising chirp (~400 Hz to ~3 kHz), 3
     * white-noise burst; random level and duration (0.2–0.5 s), background noise at 20 dB SNR.
     */
    private static Waveform sound(int label, SplittableRandom rng) {
        int length = (int) (RATE * rng.nextDouble(0.2, 0.5));
        double amplitude = rng.nextDouble(0.1, 0.8);
        float[] x = new float[length];
        double f0 = label == 0 ? rng.nextDouble(200, 500) : rng.nextDouble(1500, 3000);
        double start = rng.nextDouble(300, 600);
        double end = rng.nextDouble(2000, 3500);
        double phase = 0;
        for (int n = 0; n < length; n++) {
            double hz = label == 2 ? start + (end - start) * n / length : f0;
            phase += 2 * Math.PI * hz / RATE;
            x[n] = (float) (amplitude * (label == 3 ? rng.nextGaussian() / 2 : Math.sin(phase)));
        }
        return AdditiveNoise.atSnr(20).apply(new Waveform(x, RATE), rng);
    }

    /** Encoder, masked mean over real tokens, linear layer to class scores. */
    private static final class Classifier extends AbstractBlock {
        private final SpectrogramEncoder encoder;
        private final Linear head;

        Classifier(AudioEncoderConfig config) {
            encoder = addChildBlock("encoder", new SpectrogramEncoder(config));
            head = addChildBlock("head", Linear.builder().setUnits(CLASSES).build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            NDList out = encoder.forward(ps, inputs, training);
            NDArray mask = out.get(1).toType(DataType.FLOAT32, false).expandDims(2); // (B, T', 1)
            NDArray pooled =
                    out.get(0)
                            .sum(new int[] {1})
                            .div(mask.sum(new int[] {1}).maximum(1f)); // (B, D)
            return head.forward(ps, new NDList(pooled), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), CLASSES)};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... shapes) {
            encoder.initialize(manager, dataType, shapes);
            Shape tokens = encoder.getOutputShapes(shapes)[0];
            head.initialize(manager, dataType, new Shape(tokens.get(0), tokens.get(2)));
        }
    }

    private record Example(Features features, int label) {}

    private static List<Example> dataset(int perClass, SplittableRandom rng) {
        LogMelExtractor logMel = new LogMelExtractor(FEATURES);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            for (int label = 0; label < CLASSES; label++) {
                examples.add(new Example(logMel.extract(sound(label, rng)), label));
            }
        }
        return examples;
    }

    private static NDList batch(NDManager manager, List<Example> examples) {
        return SpectrogramBatch.of(
                manager, examples.stream().map(Example::features).toList(), WIDTH);
    }

    private static NDArray labels(NDManager manager, List<Example> examples) {
        return manager.create(examples.stream().mapToInt(Example::label).toArray());
    }

    @Test
    void learnsToTellFourKindsOfSoundApart() {
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed(1234);
        SplittableRandom rng = new SplittableRandom(1234);
        List<Example> train = dataset(64, rng.split());
        List<Example> test = dataset(25, rng.split());
        AudioEncoderConfig config = AudioEncoderConfig.tiny().withMels(32);
        int batchSize = 16;
        int epochs = 15;

        try (Model model = Model.newInstance("audio-encoder-learns")) {
            model.setBlock(new Classifier(config));
            DefaultTrainingConfig training =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(
                        new Shape(batchSize, config.mels(), WIDTH), new Shape(batchSize));
                double firstEpochLoss = 0;
                double lastEpochLoss = 0;
                for (int epoch = 0; epoch < epochs; epoch++) {
                    List<Example> shuffled = new ArrayList<>(train);
                    java.util.Collections.shuffle(shuffled, new java.util.Random(epoch));
                    double epochLoss = 0;
                    int steps = 0;
                    for (int i = 0; i + batchSize <= shuffled.size(); i += batchSize) {
                        List<Example> part = shuffled.subList(i, i + batchSize);
                        try (NDManager step = trainer.getManager().newSubManager();
                                GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(batch(step, part));
                            NDArray loss =
                                    trainer.getLoss()
                                            .evaluate(new NDList(labels(step, part)), predictions);
                            collector.backward(loss);
                            epochLoss += loss.getFloat();
                            steps++;
                        }
                        trainer.step();
                    }
                    epochLoss /= steps;
                    if (epoch == 0) {
                        firstEpochLoss = epochLoss;
                    }
                    lastEpochLoss = epochLoss;
                }

                int correct = 0;
                try (NDManager eval = trainer.getManager().newSubManager()) {
                    NDArray scores = trainer.evaluate(batch(eval, test)).singletonOrThrow();
                    long[] predicted = scores.argMax(1).toLongArray();
                    for (int i = 0; i < test.size(); i++) {
                        correct += predicted[i] == test.get(i).label() ? 1 : 0;
                    }
                }
                double accuracy = correct / (double) test.size();
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "loss %.3f -> %.3f, held-out accuracy %.3f (%d clips), %.1f s%n",
                        firstEpochLoss, lastEpochLoss, accuracy, test.size(), seconds);
                assertTrue(lastEpochLoss < 0.5 * firstEpochLoss, "loss did not fall enough");
                assertTrue(accuracy > 0.8, "held-out accuracy " + accuracy + " (chance 0.25)");
                assertTrue(seconds < 60, "took " + seconds + " s");
            }
        }
    }
}
