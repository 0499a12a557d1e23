package dev.braid.text.decoder;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;

/**
 * A pointer over the memory's tokens (See et al. 2017's pointer-generator): the decoder may copy a
 * token that the memory holds instead of writing one from the vocabulary.
 *
 * <p>Why: a detail to copy (an order number, a model name) is a sequence of tokens the decoder has
 * seen in no reply, so writing it means learning a separate map from each position's encoding back
 * to its token id. A pointer only has to find the position; the id comes with it. A gate g (per
 * position, from the decoder's state) mixes the two: {@code p = g · softmax(logits) + (1 − g) · Σ_s
 * a_s · onehot(id_s)}, where a is an attention of the decoder's state over the memory positions
 * that carry a token id. Rows whose memory carries none get the vocabulary alone.
 *
 * <p>A detail is copied token after token, so the position to copy next is the one after the
 * position copied last. The pointer is made to find it: each memory position's key also reads the
 * embedding of the token before it, and the query also reads the embedding of the token the decoder
 * read last (the one it just wrote), so "the position whose predecessor is what I just wrote" is
 * one bilinear match (an induction head, built in).
 *
 * <p>Output: log-probabilities {@code [B, T, V]}, which a cross-entropy (log-softmax) and every
 * logits processor read as logits.
 */
public final class MemoryCopy extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float BLOCKED = -1e9f;
    private static final float FLOOR = 1e-9f; // keeps log finite where p underflows

    private final int width;
    private final Linear query;
    private final Linear key;
    private final Linear previousTokenKey;
    private final Linear lastTokenQuery;
    private final Linear gate;

    MemoryCopy(int width) {
        super(VERSION);
        this.width = width;
        query = addChildBlock("query", Linear.builder().setUnits(width).build());
        key = addChildBlock("key", Linear.builder().setUnits(width).build());
        previousTokenKey =
                addChildBlock(
                        "previousTokenKey",
                        Linear.builder().setUnits(width).optBias(false).build());
        lastTokenQuery =
                addChildBlock(
                        "lastTokenQuery", Linear.builder().setUnits(width).optBias(false).build());
        gate = addChildBlock("gate", Linear.builder().setUnits(1).build());
    }

    /**
     * What one memory offers to copy, computed once per sequence.
     *
     * @param keys {@code [B, S, D]}
     * @param table float {@code [B, S, V]}: the one-hot token id of each position, zero where there
     *     is nothing to copy
     * @param bias {@code [B, 1, S]}: 0 where a position can be copied, very negative elsewhere
     */
    record Source(NDArray keys, NDArray table, NDArray bias) {

        void attach(NDManager manager) {
            keys.attach(manager);
            table.attach(manager);
            bias.attach(manager);
        }
    }

    /**
     * @param memory {@code [B, S, D]}
     * @param memoryMask boolean {@code [B, S]}, true at real positions
     * @param memoryIds int {@code [B, S]}: each position's token id, negative where it has none
     * @param tokenTable the decoder's token embedding {@code [V, D]}
     * @throws IllegalArgumentException if the ids are not {@code [B, S]} or not below V
     */
    Source source(
            ParameterStore store,
            NDArray memory,
            NDArray memoryMask,
            NDArray memoryIds,
            NDArray tokenTable,
            boolean training) {
        int vocabulary = Math.toIntExact(tokenTable.getShape().get(0));
        if (!memoryIds.getShape().equals(memoryMask.getShape())) {
            throw new IllegalArgumentException(
                    "memoryIds "
                            + memoryIds.getShape()
                            + " must have the memory mask's shape "
                            + memoryMask.getShape());
        }
        NDArray ids = memoryIds.toType(DataType.INT64, false);
        NDArray copyable = memoryMask.logicalAnd(ids.gte(0)); // (B, S)
        NDArray table = oneHot(Scalars.maximum(ids, 0), vocabulary);
        table = table.mul(copyable.expandDims(-1).toType(DataType.FLOAT32, false));
        NDArray bias = Scalars.mul(copyable.logicalNot().toType(DataType.FLOAT32, false), BLOCKED);
        NDArray before = // each position's predecessor's id, -1 at the first
                memoryIds
                        .getManager()
                        .full(new Shape(ids.getShape().get(0), 1), -1f, DataType.INT64)
                        .concat(ids.get(":, :-1"), 1);
        NDArray keys =
                key.forward(store, new NDList(memory), training)
                        .singletonOrThrow()
                        .add(
                                previousTokenKey
                                        .forward(
                                                store,
                                                new NDList(embed(before, tokenTable)),
                                                training)
                                        .singletonOrThrow());
        return new Source(keys, table, bias.expandDims(1));
    }

    /**
     * {@code [B, S, V]}: libtorch refuses an id at or above V, which is turned into an error naming
     * V; checking first would cost a round trip to read the largest id at every batch.
     */
    private static NDArray oneHot(NDArray ids, int vocabulary) {
        try {
            return ids.oneHot(vocabulary);
        } catch (EngineException e) {
            throw new IllegalArgumentException(
                    "memoryIds must be below the vocabulary size ("
                            + vocabulary
                            + "): "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    /** The embeddings of {@code ids} {@code [B, S]}, zero where an id is negative. */
    private static NDArray embed(NDArray ids, NDArray tokenTable) {
        NDArray real = ids.gte(0);
        NDArray vectors =
                Embedding.embedding(Scalars.maximum(ids, 0), tokenTable, SparseFormat.DENSE)
                        .singletonOrThrow(); // (B, S, D)
        return vectors.mul(real.expandDims(-1).toType(vectors.getDataType(), false));
    }

    /**
     * The mixed distribution's log-probabilities at every position.
     *
     * @param hidden the decoder's final states {@code [B, T, D]}
     * @param ids the tokens the decoder read at those positions {@code [B, T]}
     * @param tokenTable the decoder's token embedding {@code [V, D]}
     * @param logits the vocabulary's logits {@code [B, T, V]}
     */
    NDArray logProbabilities(
            ParameterStore store,
            NDArray hidden,
            NDArray ids,
            NDArray tokenTable,
            NDArray logits,
            Source source,
            boolean training) {
        NDArray lastToken = embed(ids.toType(DataType.INT64, false), tokenTable);
        NDArray q =
                query.forward(store, new NDList(hidden), training)
                        .singletonOrThrow()
                        .add(
                                lastTokenQuery
                                        .forward(store, new NDList(lastToken), training)
                                        .singletonOrThrow());
        NDArray scores =
                Scalars.div(q.matMul(source.keys().transpose(0, 2, 1)), Math.sqrt(width))
                        .add(source.bias()); // (B, T, S)
        NDArray copy = scores.softmax(-1).matMul(source.table()); // (B, T, V)
        NDArray offered = copy.sum(new int[] {-1}, true); // (B, T, 1): 1, or 0 with nothing to copy
        NDArray g =
                Activation.sigmoid(
                        gate.forward(store, new NDList(hidden), training).singletonOrThrow());
        NDArray rest = g.neg().add(1f); // 1 - g, (B, T, 1)
        NDArray vocabularyShare = offered.mul(rest).neg().add(1f); // 1 - (1 - g) c
        NDArray p = logits.softmax(-1).mul(vocabularyShare).add(copy.mul(rest));
        return p.add(FLOOR).log();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException("use source and logProbabilities");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1]};
    }

    /**
     * @param inputShapes the decoder's states {@code [B, T, D]}, then the memory {@code [B, S, D]}
     */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        Shape tokens = new Shape(inputShapes[1].get(0), inputShapes[1].get(1), width);
        previousTokenKey.initialize(manager, dataType, tokens);
        lastTokenQuery.initialize(manager, dataType, inputShapes[0]);
        gate.initialize(manager, dataType, inputShapes[0]);
    }
}
