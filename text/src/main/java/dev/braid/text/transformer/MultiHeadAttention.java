package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;

/**
 * Multi-head scaled dot-product attention, for self-attention (query and source the same) and
 * cross-attention (query from one sequence, keys and values from another).
 *
 * <p>Input {@code NDList(query [B, Tq, D], source [B, Tk, D])}, optionally a third array, an
 * additive bias broadcastable to {@code [B, H, Tq, Tk]} ({@link AttentionBias}). Output {@code
 * NDList([B, Tq, D])}. With a {@link RotaryEmbedding}, queries and keys are rotated by position
 * before the product. Inside, the queries, keys and values are A = H × Dh wide ({@link
 * LayerConfig#attentionWidth}: D unless heads were pruned), and the output projection maps A back
 * to D.
 */
public final class MultiHeadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final int attentionWidth;
    private final RotaryEmbedding rotary;
    private final Linear query;
    private final Linear keyValue;
    private final Dropout dropout;
    private final Linear output;

    /**
     * Creates attention for a layer's width, heads and dropout.
     *
     * @param rotary the position rotation, or null for none
     */
    public MultiHeadAttention(LayerConfig config, RotaryEmbedding rotary) {
        super(VERSION);
        width = config.width();
        heads = config.heads();
        attentionWidth = config.attentionWidth();
        this.rotary = rotary;
        query = addChildBlock("query", Linear.builder().setUnits(attentionWidth).build());
        keyValue =
                addChildBlock("keyValue", Linear.builder().setUnits(2L * attentionWidth).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        output = addChildBlock("output", Linear.builder().setUnits(width).build());
    }

    /** Returns the number of heads H; each is {@code A / H} wide. */
    public int heads() {
        return heads;
    }

    /** Returns the inner width A = H × Dh of the queries, keys and values. */
    public int attentionWidth() {
        return attentionWidth;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray bias = inputs.size() > 2 ? inputs.get(2) : null;
        KeyValues source = keysAndValues(store, inputs.get(1), 0, training);
        return new NDList(attend(store, inputs.get(0), 0, source, bias, training));
    }

    /**
     * The keys and values of {@code source}, split into heads; keys rotated when this attention
     * uses RoPE.
     *
     * @param source {@code [B, Tk, D]}
     * @param offset the position of {@code source}'s first row (0 unless a decoder cached earlier
     *     positions)
     */
    public KeyValues keysAndValues(
            ParameterStore store, NDArray source, int offset, boolean training) {
        long batch = source.getShape().get(0);
        long length = source.getShape().get(1);
        NDArray kv = keyValue.forward(store, new NDList(source), training).singletonOrThrow();
        kv =
                kv.reshape(batch, length, 2, heads, attentionWidth / heads)
                        .transpose(2, 0, 3, 1, 4); // (2, B, H, Tk, Dh)
        NDArray k = kv.get(0);
        if (rotary != null) {
            k = rotary.apply(k, offset);
        }
        return new KeyValues(k, kv.get(1));
    }

    /**
     * Attention of {@code x} over keys and values computed before by {@link #keysAndValues}.
     *
     * @param x queries {@code [B, Tq, D]}
     * @param offset the position of {@code x}'s first row, for RoPE
     * @param source keys and values {@code [B, H, Tk, Dh]}
     * @param bias additive, broadcastable to {@code [B, H, Tq, Tk]}, or null
     * @return {@code [B, Tq, D]}
     */
    public NDArray attend(
            ParameterStore store,
            NDArray x,
            int offset,
            KeyValues source,
            NDArray bias,
            boolean training) {
        long batch = x.getShape().get(0);
        long lengthQ = x.getShape().get(1);
        int headWidth = attentionWidth / heads;
        NDArray q = query.forward(store, new NDList(x), training).singletonOrThrow();
        q = q.reshape(batch, lengthQ, heads, headWidth).transpose(0, 2, 1, 3); // (B, H, Tq, Dh)
        if (rotary != null) {
            q = rotary.apply(q, offset);
        }
        NDArray scores =
                Scalars.div(
                        q.matMul(source.keys().transpose(0, 1, 3, 2)),
                        Math.sqrt(headWidth)); // (B, H, Tq, Tk)
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray weights = scores.softmax(3);
        weights = dropout.forward(store, new NDList(weights), training).singletonOrThrow();
        NDArray mixed = weights.matMul(source.values()); // (B, H, Tq, Dh)
        mixed = mixed.transpose(0, 2, 1, 3).reshape(batch, lengthQ, attentionWidth); // (B, Tq, A)
        return output.forward(store, new NDList(mixed), training).singletonOrThrow();
    }

    /**
     * Scales the initial value and output projections by {@code beta}, DeepNorm's initialisation;
     * the query and key projections keep theirs.
     */
    void scaleValueAndOutputInitialisation(float beta) {
        NDArray weight = keyValue.getParameters().get("weight").getArray(); // (2A, D): keys, values
        NDIndex valueRows = new NDIndex("{}:", attentionWidth);
        try (NDArray values = weight.get(valueRows);
                NDArray scaled = Scalars.mul(values, beta)) {
            weight.set(valueRows, scaled); // in place, before any training
        }
        Scalars.muli(output.getParameters().get("weight").getArray(), beta);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape source = inputShapes.length > 1 ? inputShapes[1] : x;
        query.initialize(manager, dataType, x);
        keyValue.initialize(manager, dataType, source);
        dropout.initialize(manager, dataType, new Shape(x.get(0), heads, x.get(1), source.get(1)));
        output.initialize(manager, dataType, new Shape(x.get(0), x.get(1), attentionWidth));
    }
}
