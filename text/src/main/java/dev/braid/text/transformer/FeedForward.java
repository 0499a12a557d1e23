package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The position-wise feed-forward block of a Transformer layer: {@code [B, T, D] -> [B, T, D]}
 * through a hidden width F, with ReLU, GELU, SwiGLU or GeGLU ({@link FeedForwardKind}).
 *
 * <p>The gated variants compute value and gate with one {@code D -> 2F} projection and split it,
 * one matrix product instead of two.
 */
public final class FeedForward extends AbstractBlock {

    private static final byte VERSION = 1;

    private final FeedForwardKind kind;
    private final int hidden;
    private final Linear in;
    private final Dropout dropout;
    private final Linear out;

    /** Creates the block for one layer's configuration. */
    public FeedForward(LayerConfig config) {
        super(VERSION);
        kind = config.feedForward();
        hidden = config.feedForwardWidth();
        in =
                addChildBlock(
                        "in",
                        Linear.builder().setUnits(kind.gated() ? 2L * hidden : hidden).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        out = addChildBlock("out", Linear.builder().setUnits(config.width()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray h = in.forward(store, inputs, training).singletonOrThrow(); // (B, T, F or 2F)
        h =
                switch (kind) {
                    case RELU -> Activation.relu(h);
                    case GELU -> Activation.gelu(h);
                    case SWIGLU, GEGLU -> {
                        NDList parts =
                                h.split(
                                        2,
                                        h.getShape().dimension()
                                                - 1); // value (B, T, F), gate (B, T, F)
                        NDArray gate = parts.get(1);
                        NDArray activated =
                                kind == FeedForwardKind.SWIGLU
                                        ? gate.mul(Activation.sigmoid(gate)) // silu
                                        : Activation.gelu(gate);
                        yield parts.get(0).mul(activated);
                    }
                };
        h = dropout.forward(store, new NDList(h), training).singletonOrThrow();
        return out.forward(store, new NDList(h), training);
    }

    /** Scales both initial weight matrices by {@code beta}, DeepNorm's initialisation. */
    void scaleInitialisation(float beta) {
        dev.braid.tensor.Scalars.muli(in.getParameters().get("weight").getArray(), beta);
        dev.braid.tensor.Scalars.muli(out.getParameters().get("weight").getArray(), beta);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager,
            ai.djl.ndarray.types.DataType dataType,
            Shape... inputShapes) {
        Shape x = inputShapes[0];
        in.initialize(manager, dataType, x);
        Shape h = x.slice(0, x.dimension() - 1).add(hidden);
        dropout.initialize(manager, dataType, h);
        out.initialize(manager, dataType, h);
    }
}
