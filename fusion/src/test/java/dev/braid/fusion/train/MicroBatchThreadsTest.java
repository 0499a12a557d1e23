package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Micro-batches computed at once give the sums and means computing them in turn would give. */
class MicroBatchThreadsTest {

    /** Linear, then batch norm: weights with gradients and statistics the forward pass writes. */
    private static Block model(NDManager manager) {
        Block block =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(3).build())
                        .add(BatchNorm.builder().optAxis(1).build());
        block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(4, 5));
        return block;
    }

    private static List<Parameter> parameters(Block block) {
        List<Parameter> all = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            all.add(pair.getValue());
        }
        return all;
    }

    private static NDArray inputs(NDManager manager, int seed) {
        Random random = new Random(seed);
        float[] values = new float[20];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, new Shape(4, 5));
    }

    /** Forward in training, backward of the summed squares; returns the loss. */
    private static float pass(Block block, ParameterStore store, NDArray x) {
        try (NDManager batch = x.getManager().newSubManager();
                GradientRecording recording = GradientRecording.start()) {
            NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray loss = y.square().sum();
            recording.backward(loss);
            return loss.getFloat();
        }
    }

    private static float[] values(Parameter parameter) {
        return parameter.getArray().toFloatArray();
    }

    private static float[] gradient(Parameter parameter) {
        try (NDArray gradient = parameter.getArray().getGradient()) {
            return gradient.toFloatArray();
        }
    }

    @Test
    void twoMicroBatchesAtOnceSumTheGradientsAndAverageTheStatistics() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = model(manager);
            List<Parameter> all = parameters(block);
            NDArray x0 = inputs(manager, 1);
            NDArray x1 = inputs(manager, 2);
            ParameterStore own = new ParameterStore(manager, false);

            // In turn, each from the same start: the gradients and statistics each gives alone.
            List<float[]> start = all.stream().map(MicroBatchThreadsTest::values).toList();
            float loss0 = pass(block, own, x0);
            List<float[]> gradients0 = new ArrayList<>();
            List<float[]> statistics0 = new ArrayList<>();
            for (Parameter p : all) {
                gradients0.add(p.requiresGradient() ? gradient(p) : null);
                statistics0.add(values(p));
            }
            Gradients.zero(all.stream().filter(Parameter::requiresGradient).toList());
            restore(all, start);
            float loss1 = pass(block, own, x1);
            List<float[]> gradients1 = new ArrayList<>();
            List<float[]> statistics1 = new ArrayList<>();
            for (Parameter p : all) {
                gradients1.add(p.requiresGradient() ? gradient(p) : null);
                statistics1.add(values(p));
            }
            Gradients.zero(all.stream().filter(Parameter::requiresGradient).toList());
            restore(all, start);

            try (MicroBatchThreads threads = new MicroBatchThreads(2)) {
                threads.prepare(all, manager, 2);
                NDArray[] inputs = {x0, x1};
                float loss = threads.run(2, own, (k, store) -> pass(block, store, inputs[k]));
                assertEquals(loss0 + loss1, loss, 0f);
            }
            int statisticsSeen = 0;
            for (int i = 0; i < all.size(); i++) {
                Parameter p = all.get(i);
                if (p.requiresGradient()) {
                    float[] sum = new float[gradients0.get(i).length];
                    for (int j = 0; j < sum.length; j++) {
                        sum[j] = gradients0.get(i)[j] + gradients1.get(i)[j];
                    }
                    assertArrayEquals(sum, gradient(p), 0f, p.getName() + "'s gradient");
                    assertArrayEquals(start.get(i), values(p), 0f, p.getName() + " unchanged");
                } else {
                    statisticsSeen++;
                    float[] mean = new float[start.get(i).length];
                    for (int j = 0; j < mean.length; j++) {
                        mean[j] = (statistics0.get(i)[j] + statistics1.get(i)[j]) / 2;
                    }
                    assertArrayEquals(mean, values(p), 1e-7f, p.getName() + "'s mean");
                }
            }
            assertEquals(2, statisticsSeen, "running mean and variance");
        }
    }

    @Test
    void aWeightOnlyALaterMicroBatchReachesGetsThatGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            Block reference = model(manager);
            Engine.getInstance().setRandomSeed(7);
            SequentialBlock tested = (SequentialBlock) model(manager);
            NDArray x = inputs(manager, 4);
            pass(reference, new ParameterStore(manager, false), x);
            // micro-batch 0 runs the linear layer only: batch norm's scale gets its gradient from
            // micro-batch 1 alone
            Block linear = tested.getChildren().get(0).getValue();
            try (MicroBatchThreads threads = new MicroBatchThreads(2)) {
                threads.prepare(parameters(tested), manager, 2);
                threads.run(
                        2,
                        new ParameterStore(manager, false),
                        (k, store) -> pass(k == 0 ? linear : tested, store, x));
            }
            assertArrayEquals(gradient(gamma(reference)), gradient(gamma(tested)), 0f);
        }
    }

    private static Parameter gamma(Block block) {
        return parameters(block).stream()
                .filter(p -> p.getType() == Parameter.Type.GAMMA)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aWeightViewSeesTheOptimiserUpdateWithoutACopy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = model(manager);
            List<Parameter> all = parameters(block);
            try (MicroBatchParameters view = new MicroBatchParameters(all, manager)) {
                Parameter weight = all.get(0);
                weight.getArray().addi(manager.ones(weight.getArray().getShape()));
                assertArrayEquals(
                        values(weight),
                        view.getValue(weight, manager.getDevice(), true).toFloatArray(),
                        0f);
            }
        }
    }

    @Test
    void aFailingMicroBatchFailsTheStepAfterTheOthersFinish() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = model(manager);
            List<Parameter> all = parameters(block);
            NDArray x = inputs(manager, 3);
            try (MicroBatchThreads threads = new MicroBatchThreads(2)) {
                threads.prepare(all, manager, 2);
                boolean[] otherFinished = new boolean[1];
                IllegalStateException thrown =
                        assertThrows(
                                IllegalStateException.class,
                                () ->
                                        threads.run(
                                                2,
                                                new ParameterStore(manager, false),
                                                (k, store) -> {
                                                    if (k == 0) {
                                                        throw new IllegalStateException("bad");
                                                    }
                                                    float loss = pass(block, store, x);
                                                    otherFinished[0] = true;
                                                    return loss;
                                                }));
                assertEquals("bad", thrown.getMessage());
                assertEquals(true, otherFinished[0]);
            }
        }
    }

    private static void restore(List<Parameter> all, List<float[]> values) {
        for (int i = 0; i < all.size(); i++) {
            NDArray array = all.get(i).getArray();
            array.set(values.get(i));
        }
    }
}
