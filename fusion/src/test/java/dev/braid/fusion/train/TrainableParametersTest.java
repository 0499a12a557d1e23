package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrainableParametersTest {

    @Test
    void aFrozenChildIsNotUpdatedUntilUnfrozen() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Linear first = Linear.builder().setUnits(3).build();
            Linear second = Linear.builder().setUnits(1).build();
            SequentialBlock model = new SequentialBlock().add(first).add(second);
            model.initialize(manager, DataType.FLOAT32, new Shape(4, 2));

            TrainableParameters parameters = TrainableParameters.of(model).freeze(first);
            assertEquals(4, parameters.all().size());
            assertEquals(2, parameters.trainable().size());
            AdamW adamW = new AdamW(AdamWConfig.defaults(), manager, parameters.all());

            float[] firstBefore = weights(first);
            float[] secondBefore = weights(second);
            for (int i = 0; i < 3; i++) {
                step(manager, model, parameters, adamW);
            }
            assertArrayEquals(firstBefore, weights(first), 0f);
            assertFalse(Arrays.equals(secondBefore, weights(second)), "second must be trained");

            parameters = parameters.unfreeze(first);
            assertEquals(4, parameters.trainable().size());
            step(manager, model, parameters, adamW);
            assertFalse(Arrays.equals(firstBefore, weights(first)), "first must train again");
        }
    }

    @Test
    void freezingABlockOutsideTheModelIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock model = new SequentialBlock().add(Linear.builder().setUnits(1).build());
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            Linear stranger = Linear.builder().setUnits(1).build();
            stranger.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            TrainableParameters parameters = TrainableParameters.of(model);
            assertThrows(IllegalArgumentException.class, () -> parameters.freeze(stranger));
        }
    }

    private static void step(
            NDManager manager, SequentialBlock model, TrainableParameters parameters, AdamW adamW) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(4, 2));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = model.forward(new ParameterStore(scratch, false), new NDList(x), true);
                collector.backward(out.singletonOrThrow().square().mean());
            }
            adamW.step(parameters.trainable(), 0.1f);
            Gradients.zero(parameters.all());
        }
    }

    private static float[] weights(Linear block) {
        float[] all = new float[0];
        for (var pair : block.getParameters()) {
            Parameter parameter = pair.getValue();
            float[] values = parameter.getArray().toFloatArray();
            float[] joined = Arrays.copyOf(all, all.length + values.length);
            System.arraycopy(values, 0, joined, all.length, values.length);
            all = joined;
        }
        return all;
    }
}
