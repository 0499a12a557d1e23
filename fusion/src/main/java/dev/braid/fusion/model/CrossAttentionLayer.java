package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.braid.text.transformer.AttentionBias;
import dev.braid.text.transformer.FeedForward;
import dev.braid.text.transformer.LayerConfig;
import dev.braid.text.transformer.MultiHeadAttention;
import dev.braid.text.transformer.Norm;

/**
 * One pre-LN cross-attention layer: the query sequence attends to a source sequence, then a
 * feed-forward block, each added to the query as a residual.
 *
 * <p>Input {@code NDList(query [B, Lq, D], source [B, Ls, D], sourceMask [B, Ls])}; output {@code
 * NDList(query' [B, Lq, D])}. Both residual branches are multiplied by whether the sample has any
 * real source position, so a sample whose source is absent passes through unchanged instead of
 * attending to padding. How the branches join the query is the layer's {@link Residual}.
 */
public final class CrossAttentionLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    /** How each residual branch is added to the query. */
    public enum Residual {
        /** {@code x + branch(x)}. */
        PLAIN,
        /**
         * {@code x + tanh(alpha) * branch(x)}, alpha a learned scalar per branch starting at 0
         * (Flamingo's gated cross-attention): the layer starts as the identity and training opens
         * the gates. Adds the parameters {@code attentionGate} and {@code feedForwardGate}.
         */
        TANH_GATED
    }

    private final Residual residual;
    private final Norm queryNorm;
    private final Norm sourceNorm;
    private final MultiHeadAttention attention;
    private final Norm feedForwardNorm;
    private final FeedForward feedForward;
    private final Parameter attentionGate;
    private final Parameter feedForwardGate;

    /**
     * @param residual how the attention and feed-forward branches are added to the query
     */
    public CrossAttentionLayer(LayerConfig config, Residual residual) {
        super(VERSION);
        if (residual == null) {
            throw new IllegalArgumentException("residual must be set");
        }
        this.residual = residual;
        queryNorm = addChildBlock("queryNorm", new Norm(config.norm(), config.width()));
        sourceNorm = addChildBlock("sourceNorm", new Norm(config.norm(), config.width()));
        attention = addChildBlock("attention", new MultiHeadAttention(config, null));
        feedForwardNorm = addChildBlock("feedForwardNorm", new Norm(config.norm(), config.width()));
        feedForward = addChildBlock("feedForward", new FeedForward(config));
        boolean gated = residual == Residual.TANH_GATED;
        attentionGate = gated ? addParameter(gate("attentionGate")) : null;
        feedForwardGate = gated ? addParameter(gate("feedForwardGate")) : null;
    }

    private static Parameter gate(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(Initializer.ZEROS)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray query = inputs.get(0);
        NDArray source = inputs.get(1);
        NDArray sourceMask = inputs.get(2);
        NDArray present =
                sourceMask
                        .toType(DataType.FLOAT32, false)
                        .max(new int[] {1}, true)
                        .expandDims(2); // (B, 1, 1)

        NDArray q = queryNorm.forward(store, new NDList(query), training).singletonOrThrow();
        NDArray s = sourceNorm.forward(store, new NDList(source), training).singletonOrThrow();
        NDList attend = new NDList(q, s, AttentionBias.keyPadding(sourceMask));
        NDArray a = attention.forward(store, attend, training).singletonOrThrow().mul(present);
        NDArray x = query.add(residual(store, attentionGate, a, query, training));

        NDArray h = feedForwardNorm.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray f =
                feedForward.forward(store, new NDList(h), training).singletonOrThrow().mul(present);
        return new NDList(x.add(residual(store, feedForwardGate, f, query, training)));
    }

    /** Returns the branch as {@link #residual} adds it to the query. */
    private NDArray residual(
            ParameterStore store, Parameter gate, NDArray branch, NDArray query, boolean training) {
        return switch (residual) {
            case PLAIN -> branch;
            case TANH_GATED -> branch.mul(tanh(store, gate, query, training));
        };
    }

    /** {@code tanh(alpha)}, in the step's manager (an op on a parameter joins the parameter's). */
    private static NDArray tanh(
            ParameterStore store, Parameter alpha, NDArray like, boolean training) {
        NDArray value = Activation.tanh(store.getValue(alpha, like.getDevice(), training));
        value.attach(like.getManager());
        return value;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape query = inputShapes[0];
        Shape source = inputShapes[1];
        queryNorm.initialize(manager, dataType, query);
        sourceNorm.initialize(manager, dataType, source);
        attention.initialize(manager, dataType, query, source);
        feedForwardNorm.initialize(manager, dataType, query);
        feedForward.initialize(manager, dataType, query);
    }
}
