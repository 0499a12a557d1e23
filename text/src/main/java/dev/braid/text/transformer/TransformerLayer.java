package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;

/**
 * One Transformer layer: self-attention then feed-forward, each with a residual connection and a
 * norm placed as {@link NormPlacement} says (under DeepNorm, the residual scaled by {@link
 * DeepNorm#alpha()} and the value, output and feed-forward weights initialised scaled by {@link
 * DeepNorm#beta()}).
 *
 * <p>Input {@code NDList(x [B, T, D])}, optionally an attention bias broadcastable to {@code [B, H,
 * T, T]}. Output {@code NDList([B, T, D])}.
 */
public final class TransformerLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final NormPlacement placement;
    private final DeepNorm deepNorm;
    private final Norm attentionNorm;
    private final MultiHeadAttention attention;
    private final Dropout attentionDropout;
    private final Norm feedForwardNorm;
    private final FeedForward feedForward;
    private final Dropout feedForwardDropout;

    /**
     * @param rotary the rotary position embedding for attention, or null for none
     */
    public TransformerLayer(LayerConfig config, RotaryEmbedding rotary) {
        super(VERSION);
        placement = config.placement();
        deepNorm = config.deepNorm();
        attentionNorm = addChildBlock("attentionNorm", new Norm(config.norm(), config.width()));
        attention = addChildBlock("attention", new MultiHeadAttention(config, rotary));
        attentionDropout =
                addChildBlock(
                        "attentionDropout", Dropout.builder().optRate(config.dropout()).build());
        feedForwardNorm = addChildBlock("feedForwardNorm", new Norm(config.norm(), config.width()));
        feedForward = addChildBlock("feedForward", new FeedForward(config));
        feedForwardDropout =
                addChildBlock(
                        "feedForwardDropout", Dropout.builder().optRate(config.dropout()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.size() > 1 ? inputs.get(1) : null;
        if (placement == NormPlacement.PRE_LN) {
            NDArray h = apply(attentionNorm, store, x, training);
            x = x.add(attend(store, h, bias, training));
            h = apply(feedForwardNorm, store, x, training);
            x =
                    x.add(
                            apply(
                                    feedForwardDropout,
                                    store,
                                    apply(feedForward, store, h, training),
                                    training));
        } else {
            NDArray a = attend(store, x, bias, training);
            x = apply(attentionNorm, store, residual(x, deepNorm).add(a), training);
            NDArray f =
                    apply(
                            feedForwardDropout,
                            store,
                            apply(feedForward, store, x, training),
                            training);
            x = apply(feedForwardNorm, store, residual(x, deepNorm).add(f), training);
        }
        return new NDList(x);
    }

    private NDArray attend(ParameterStore store, NDArray x, NDArray bias, boolean training) {
        NDList in = bias == null ? new NDList(x, x) : new NDList(x, x, bias);
        NDArray a = attention.forward(store, in, training).singletonOrThrow();
        return apply(attentionDropout, store, a, training);
    }

    /** The residual branch of a norm-after-residual layer: x, or alpha x under DeepNorm. */
    static NDArray residual(NDArray x, DeepNorm deepNorm) {
        return deepNorm.alpha() == 1f ? x : Scalars.mul(x, deepNorm.alpha());
    }

    private static NDArray apply(
            ai.djl.nn.Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x, x);
        attentionDropout.initialize(manager, dataType, x);
        feedForwardNorm.initialize(manager, dataType, x);
        feedForward.initialize(manager, dataType, x);
        feedForwardDropout.initialize(manager, dataType, x);
        if (placement == NormPlacement.DEEP_NORM) {
            attention.scaleValueAndOutputInitialisation(deepNorm.beta());
            feedForward.scaleInitialisation(deepNorm.beta());
        }
    }
}
