package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts together: a run with dropout, warm-up, clipping and two micro-batches per step,
 * checkpointed after 3 steps and resumed in a fresh model, ends bit-identical to the run that was
 * never interrupted. Randomness comes only from {@link Seeds}.
 */
class ResumeTest {

    private static final long SEED = 7;
    private static final int STEPS = 6;
    private static final LearningRateSchedule SCHEDULE = new LearningRateSchedule(0.05, 2, 6, 0);

    @TempDir Path directory;

    private static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final SequentialBlock model =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(8).build())
                        .add(Dropout.builder().optRate(0.5f).build())
                        .add(Linear.builder().setUnits(1).build());
        final TrainableParameters parameters;
        AdamW optimizer;

        Run(int initSeed) {
            Engine.getInstance().setRandomSeed(initSeed);
            model.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
            parameters = TrainableParameters.of(model);
            optimizer = new AdamW(AdamWConfig.defaults(), manager, parameters.all());
        }

        void step(int step) {
            Engine.getInstance().setRandomSeed(Seeds.forStep(SEED, step));
            try (NDManager scratch = manager.newSubManager()) {
                for (int micro = 0; micro < 2; micro++) {
                    backward(scratch, step, micro);
                }
                Gradients.scale(parameters.trainable(), 0.5f);
                float norm = Gradients.clipByGlobalNorm(parameters.trainable(), 0.5f, scratch);
                assertTrue(Float.isFinite(norm), "step " + step + ": gradient not finite");
                optimizer.step(parameters.trainable(), SCHEDULE.at(step));
                Gradients.zero(parameters.all());
            }
        }

        private void backward(NDManager scratch, int step, int micro) {
            float[] x = new float[12];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i * 7 + step * 3 + micro) % 5 - 2;
            }
            NDArray input = scratch.create(x, new Shape(4, 3));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out =
                        model.forward(new ParameterStore(scratch, false), new NDList(input), true);
                collector.backward(out.singletonOrThrow().sub(1f).square().mean());
            }
        }

        float[] weights() {
            float[] all = new float[0];
            for (var parameter : parameters.all()) {
                float[] values = parameter.getArray().toFloatArray();
                float[] joined = java.util.Arrays.copyOf(all, all.length + values.length);
                System.arraycopy(values, 0, joined, all.length, values.length);
                all = joined;
            }
            return all;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        float[] expected;
        try (Run straight = new Run(1)) {
            for (int step = 0; step < STEPS; step++) {
                straight.step(step);
            }
            expected = straight.weights();
        }

        Path checkpoint = directory.resolve("checkpoint");
        try (Run first = new Run(1)) {
            for (int step = 0; step < 3; step++) {
                first.step(step);
            }
            TrainingState state =
                    new TrainingState(3, 0, 3, SEED, 0.5, 0, JsonNodeFactory.instance.objectNode());
            Checkpoint.write(checkpoint, first.model, first.optimizer, state);
        }

        try (Run resumed = new Run(99)) {
            Checkpoint.Restored restored =
                    Checkpoint.read(
                            checkpoint, resumed.model, resumed.manager, resumed.parameters.all());
            resumed.optimizer = restored.optimizer();
            assertEquals(3, restored.state().step());
            for (int step = restored.state().step(); step < STEPS; step++) {
                resumed.step(step);
            }
            assertArrayEquals(expected, resumed.weights(), 0f);
        }
    }
}
