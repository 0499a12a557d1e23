package dev.braid.apps.plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The tabular encoder: one token per sample, a two-layer MLP of its numbers. */
final class TabularEncoder extends AbstractBlock {

    private final int width;
    private final Block hidden;
    private final Block out;

    TabularEncoder(int width) {
        super((byte) 1);
        this.width = width;
        hidden = addChildBlock("hidden", Linear.builder().setUnits(width).build());
        out = addChildBlock("out", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = hidden.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        x = out.forward(store, new NDList(Activation.relu(x)), training).singletonOrThrow();
        return new NDList(x.expandDims(1), inputs.get(1).expandDims(1)); // (B, 1, D), (B, 1)
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... shapes) {
        hidden.initialize(manager, type, shapes[0]);
        out.initialize(manager, type, new Shape(shapes[0].get(0), width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] shapes) {
        long batch = shapes[0].get(0);
        return new Shape[] {new Shape(batch, 1, width), new Shape(batch, 1)};
    }
}
