package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The adapter over a frozen text model's vectors. */
class TextAdapterTest {

    @Test
    void projectsEachTokenAndNormalisesItToZeroMeanUnitVariance() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TextAdapter adapter = new TextAdapter(4);
            adapter.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 5), new Shape(2, 3));
            NDArray vectors = manager.randomNormal(new Shape(2, 3, 5));
            NDArray mask = manager.create(new boolean[] {true, true, false, true, false, false});
            NDList out =
                    adapter.forward(
                            new ParameterStore(manager, false),
                            new NDList(vectors, mask.reshape(2, 3)),
                            false);
            assertEquals(new Shape(2, 3, 4), out.get(0).getShape());
            assertArrayEquals(
                    adapter.getOutputShapes(new Shape[] {new Shape(2, 3, 5), new Shape(2, 3)}),
                    new Shape[] {out.get(0).getShape(), out.get(1).getShape()});
            // layer norm's scale 1 and shift 0 at initialisation: each token has mean 0, variance 1
            float[] token = out.get(0).get("0, 0, :").toFloatArray();
            double mean = 0;
            for (float v : token) {
                mean += v / 4.0;
            }
            double variance = 0;
            for (float v : token) {
                variance += (v - mean) * (v - mean) / 4.0;
            }
            assertEquals(0, mean, 1e-5);
            assertEquals(1, variance, 1e-3);
        }
    }

    @Test
    void whatIsInPaddedPositionsChangesNothingAtRealOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TextAdapter adapter = new TextAdapter(4);
            adapter.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 5), new Shape(1, 3));
            NDArray mask = manager.create(new boolean[] {true, true, false}).reshape(1, 3);
            NDArray vectors = manager.randomNormal(new Shape(1, 3, 5));
            NDArray other = vectors.duplicate();
            other.set(new ai.djl.ndarray.index.NDIndex("0, 2, :"), 7f);
            ParameterStore store = new ParameterStore(manager, false);
            float[] a =
                    adapter.forward(store, new NDList(vectors, mask), false)
                            .get(0)
                            .get("0, 0:2, :")
                            .toFloatArray();
            float[] b =
                    adapter.forward(store, new NDList(other, mask), false)
                            .get(0)
                            .get("0, 0:2, :")
                            .toFloatArray();
            assertArrayEquals(a, b, 0f);
        }
    }
}
