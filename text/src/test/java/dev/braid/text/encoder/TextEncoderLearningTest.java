package dev.braid.text.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each norm and placement trains: the encoder plus a linear head on the [CLS] output learns whether
 * token 7 occurs anywhere in a sequence, which only attention from [CLS] can tell.
 */
class TextEncoderLearningTest {

    static Stream<Arguments> variants() {
        return Stream.of(NormPlacement.values())
                .flatMap(p -> Stream.of(NormKind.values()).map(n -> Arguments.of(p, n)));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void lossFallsOnATaskThatNeedsAttention(NormPlacement placement, NormKind norm) {
        int steps = 300;
        int batch = 32;
        int length = 8;
        Engine.getInstance().setRandomSeed(1);
        Random random = new Random(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            TextEncoderConfig config =
                    TextEncoderConfig.tiny(16).toBuilder()
                            .maxLength(length)
                            .placement(placement)
                            .norm(norm)
                            .build();
            TransformerTextEncoder encoder = new TransformerTextEncoder(config);
            SequentialBlock model =
                    new SequentialBlock()
                            .add(encoder)
                            .add(list -> new NDList(Pooling.cls(list.get(0))))
                            .add(Linear.builder().setUnits(2).build());
            Shape shape = new Shape(batch, length);
            model.initialize(manager, DataType.FLOAT32, shape, shape);
            Optimizer optimizer =
                    Optimizer.adamW().optLearningRateTracker(Tracker.fixed(2e-3f)).build();
            ParameterStore store = new ParameterStore(manager, false);
            float[] losses = new float[steps];
            for (int step = 0; step < steps; step++) {
                long[] ids = new long[batch * length];
                long[] labels = new long[batch];
                for (int b = 0; b < batch; b++) {
                    ids[b * length] = 2; // [CLS]
                    for (int t = 1; t < length; t++) {
                        ids[b * length + t] = 10 + random.nextInt(6); // never 7 or 9
                    }
                    int first = 1 + random.nextInt(length - 1);
                    int second;
                    do {
                        second = 1 + random.nextInt(length - 1);
                    } while (second == first);
                    ids[b * length + first] = 7;
                    ids[b * length + second] = 9;
                    labels[b] = first < second ? 1 : 0;
                }
                boolean[] mask = new boolean[ids.length];
                java.util.Arrays.fill(mask, true);
                try (NDManager stepManager = manager.newSubManager()) {
                    NDList in =
                            new NDList(
                                    stepManager.create(ids, shape),
                                    stepManager.create(mask, shape));
                    NDArray target = stepManager.create(labels);
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.forward(store, in, true).singletonOrThrow();
                        NDArray loss =
                                logits.logSoftmax(1).gather(target.expandDims(1), 1).mean().neg();
                        collector.backward(loss);
                        losses[step] = loss.getFloat();
                    }
                    for (var entry : model.getParameters()) {
                        Parameter p = entry.getValue();
                        try (NDArray g = p.getArray().getGradient()) {
                            optimizer.update(p.getId(), p.getArray(), g);
                            g.subi(g);
                        }
                    }
                }
            }
            float start = mean(losses, 0, 10);
            float end = mean(losses, steps - 20, steps);
            System.out.printf("%s %s: loss %.3f -> %.3f%n", placement, norm, start, end);
            assertTrue(
                    end < 0.5f * start, placement + " " + norm + ": loss " + start + " -> " + end);
        }
    }

    private static float mean(float[] values, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
