package dev.braid.text.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.function.BiFunction;

/** A few AdamW steps for the learning tests, each step's arrays in a manager closed at its end. */
public final class TinyTraining {

    private TinyTraining() {}

    /**
     * Trains the parameters of {@code blocks} for {@code steps} steps.
     *
     * @param loss the step's scalar loss, from the step's manager and a parameter store
     * @return the loss of every step
     */
    public static float[] train(
            NDManager manager,
            int steps,
            float learningRate,
            BiFunction<NDManager, ParameterStore, NDArray> loss,
            Block... blocks) {
        Optimizer optimizer =
                Optimizer.adamW()
                        .optLearningRateTracker(Tracker.fixed(learningRate))
                        .optWeightDecays(0f)
                        .build();
        ParameterStore store = new ParameterStore(manager, false);
        float[] losses = new float[steps];
        for (int step = 0; step < steps; step++) {
            try (NDManager stepManager = manager.newSubManager()) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.apply(stepManager, store);
                    collector.backward(value);
                    losses[step] = value.getFloat();
                }
                for (Block block : blocks) {
                    for (var entry : block.getParameters()) {
                        Parameter p = entry.getValue();
                        try (NDArray g = p.getArray().getGradient()) {
                            optimizer.update(p.getId(), p.getArray(), g);
                            g.subi(g);
                        }
                    }
                }
            }
        }
        return losses;
    }

    /** The mean of {@code values[from, to)}. */
    public static float mean(float[] values, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
