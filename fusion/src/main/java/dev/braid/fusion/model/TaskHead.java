package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.text.transformer.Norm;
import dev.braid.text.transformer.NormKind;

/**
 * A task head: a norm and a linear map from the fused width to the head's outputs, applied to each
 * fused vector, then averaged by the fusion's weights.
 *
 * <p>Input {@code NDList(vectors [B, K, D], weights [B, K])}; output {@code NDList(logits [B, C])}
 * (C = 1 for regression). A sample whose weights are all zero (it has no modality) gets zero
 * logits: a uniform prediction.
 */
public final class TaskHead extends AbstractBlock {

    private static final byte VERSION = 1;

    private final HeadSpec spec;
    private final Norm norm;
    private final Linear linear;

    public TaskHead(HeadSpec spec, int width) {
        super(VERSION);
        this.spec = spec;
        norm = addChildBlock("norm", new Norm(NormKind.LAYER_NORM, width));
        linear = addChildBlock("linear", Linear.builder().setUnits(spec.outputs()).build());
    }

    public HeadSpec spec() {
        return spec;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray vectors = inputs.get(0);
        NDArray weights = inputs.get(1);
        NDArray h = norm.forward(store, new NDList(vectors), training).singletonOrThrow();
        NDArray logits =
                linear.forward(store, new NDList(h), training).singletonOrThrow(); // (B, K, C)
        NDArray share = FusionBlock.shares(weights); // (B, K)
        return new NDList(logits.mul(share.expandDims(2)).sum(new int[] {1})); // (B, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), spec.outputs())};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes[0]);
        linear.initialize(manager, dataType, inputShapes[0]);
    }
}
