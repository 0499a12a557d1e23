package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One Transformer decoder layer: masked self-attention, then (optionally) cross-attention over a
 * memory, then feed-forward, each with a residual connection and a norm placed as {@link
 * NormPlacement} says.
 *
 * <p>{@link #forward} takes {@code NDList(x [B, T, D], selfBias)} or {@code NDList(x, selfBias,
 * memory [B, S, D], memoryBias)}, the biases broadcastable to {@code [B, H, T, T]} and {@code [B,
 * H, T, S]}; it returns {@code NDList([B, T, D])}. {@link #step} is the same computation for new
 * positions after cached ones: the self-attention keys and values of earlier positions, and the
 * memory's, are passed in instead of being recomputed. The full forward is a step with nothing
 * cached, so the two cannot drift apart.
 */
public final class TransformerDecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final NormPlacement placement;
    private final DeepNorm deepNorm;
    private final Norm selfNorm;
    private final MultiHeadAttention selfAttention;
    private final Dropout selfDropout;
    private final Norm crossNorm;
    private final MultiHeadAttention crossAttention;
    private final Dropout crossDropout;
    private final Norm feedForwardNorm;
    private final FeedForward feedForward;
    private final Dropout feedForwardDropout;

    /**
     * A layer that attends to a memory after its self-attention: the original Transformer's decoder
     * layer.
     *
     * @param rotary the rotary position embedding of self-attention, or null for none; the memory
     *     has no positions of the decoder's, so cross-attention never rotates
     */
    public static TransformerDecoderLayer withCrossAttention(
            LayerConfig config, RotaryEmbedding rotary) {
        return new TransformerDecoderLayer(config, rotary, true);
    }

    /**
     * A layer of self-attention and feed-forward only: a decoder-only model's (GPT-2's) layer.
     *
     * @param rotary the rotary position embedding of self-attention, or null for none
     */
    public static TransformerDecoderLayer selfAttentionOnly(
            LayerConfig config, RotaryEmbedding rotary) {
        return new TransformerDecoderLayer(config, rotary, false);
    }

    private TransformerDecoderLayer(
            LayerConfig config, RotaryEmbedding rotary, boolean withCrossAttention) {
        super(VERSION);
        placement = config.placement();
        deepNorm = config.deepNorm();
        int width = config.width();
        selfNorm = addChildBlock("selfNorm", new Norm(config.norm(), width));
        selfAttention = addChildBlock("selfAttention", new MultiHeadAttention(config, rotary));
        selfDropout = addChildBlock("selfDropout", dropout(config));
        if (withCrossAttention) {
            crossNorm = addChildBlock("crossNorm", new Norm(config.norm(), width));
            crossAttention = addChildBlock("crossAttention", new MultiHeadAttention(config, null));
            crossDropout = addChildBlock("crossDropout", dropout(config));
        } else {
            crossNorm = null;
            crossAttention = null;
            crossDropout = null;
        }
        feedForwardNorm = addChildBlock("feedForwardNorm", new Norm(config.norm(), width));
        feedForward = addChildBlock("feedForward", new FeedForward(config));
        feedForwardDropout = addChildBlock("feedForwardDropout", dropout(config));
    }

    private static Dropout dropout(LayerConfig config) {
        return Dropout.builder().optRate(config.dropout()).build();
    }

    /** Returns whether this layer attends to a memory. */
    public boolean hasCrossAttention() {
        return crossAttention != null;
    }

    /**
     * The memory's keys and values for cross-attention, computed once per sequence.
     *
     * @param memory {@code [B, S, D]}
     * @throws IllegalStateException if the layer has no cross-attention
     */
    public KeyValues memoryKeyValues(ParameterStore store, NDArray memory, boolean training) {
        if (crossAttention == null) {
            throw new IllegalStateException("this decoder layer has no cross-attention");
        }
        return crossAttention.keysAndValues(store, memory, 0, training);
    }

    /**
     * The layer applied to positions {@code past.length() ..} given what earlier positions left.
     *
     * @param x the new positions {@code [B, T, D]}
     * @param past the self-attention keys and values of the earlier positions, or null for none
     * @param selfBias additive, broadcastable to {@code [B, H, T, Tpast + T]}
     * @param memory the memory's keys and values ({@link #memoryKeyValues}), or null to skip
     *     cross-attention (no memory, a decoder-only model)
     * @param memoryBias additive, broadcastable to {@code [B, H, T, S]}, or null
     * @return the output {@code [B, T, D]} and the self-attention keys and values of all positions
     *     so far
     */
    public Step step(
            ParameterStore store,
            NDArray x,
            KeyValues past,
            NDArray selfBias,
            KeyValues memory,
            NDArray memoryBias,
            boolean training) {
        int offset = past == null ? 0 : past.length();
        NDArray h = placement == NormPlacement.PRE_LN ? apply(selfNorm, store, x, training) : x;
        KeyValues fresh = selfAttention.keysAndValues(store, h, offset, training);
        KeyValues all = past == null ? fresh : past.append(fresh);
        NDArray a = selfAttention.attend(store, h, offset, all, selfBias, training);
        x = sublayer(selfNorm, store, x, apply(selfDropout, store, a, training), training);
        if (memory != null && crossAttention != null) {
            h = placement == NormPlacement.PRE_LN ? apply(crossNorm, store, x, training) : x;
            a = crossAttention.attend(store, h, 0, memory, memoryBias, training);
            x = sublayer(crossNorm, store, x, apply(crossDropout, store, a, training), training);
        }
        h = placement == NormPlacement.PRE_LN ? apply(feedForwardNorm, store, x, training) : x;
        NDArray f =
                apply(feedForwardDropout, store, apply(feedForward, store, h, training), training);
        x = sublayer(feedForwardNorm, store, x, f, training);
        return new Step(x, all);
    }

    /** What {@link #step} returns: the layer's output and the keys and values to cache. */
    public record Step(NDArray output, KeyValues keyValues) {}

    /** Adds a sub-layer's output {@code f} to the residual stream, normalising as placed. */
    private NDArray sublayer(
            Norm norm, ParameterStore store, NDArray x, NDArray f, boolean training) {
        if (placement == NormPlacement.PRE_LN) {
            return x.add(f);
        }
        return apply(norm, store, TransformerLayer.residual(x, deepNorm).add(f), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        KeyValues memory =
                inputs.size() > 2 ? memoryKeyValues(store, inputs.get(2), training) : null;
        NDArray memoryBias = inputs.size() > 3 ? inputs.get(3) : null;
        return new NDList(
                step(store, inputs.get(0), null, inputs.get(1), memory, memoryBias, training)
                        .output());
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Input shapes: {@code x [B, T, D]}, then optionally the memory {@code [B, S, D]}. */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape memory = inputShapes.length > 1 ? inputShapes[inputShapes.length - 1] : x;
        selfNorm.initialize(manager, dataType, x);
        selfAttention.initialize(manager, dataType, x, x);
        selfDropout.initialize(manager, dataType, x);
        if (crossAttention != null) {
            crossNorm.initialize(manager, dataType, x);
            crossAttention.initialize(manager, dataType, x, memory);
            crossDropout.initialize(manager, dataType, x);
        }
        feedForwardNorm.initialize(manager, dataType, x);
        feedForward.initialize(manager, dataType, x);
        feedForwardDropout.initialize(manager, dataType, x);
        if (placement == NormPlacement.DEEP_NORM) {
            selfAttention.scaleValueAndOutputInitialisation(deepNorm.beta());
            if (crossAttention != null) {
                crossAttention.scaleValueAndOutputInitialisation(deepNorm.beta());
            }
            feedForward.scaleInitialisation(deepNorm.beta());
        }
    }
}
