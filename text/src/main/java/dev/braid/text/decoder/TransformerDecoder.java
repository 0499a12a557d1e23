package dev.braid.text.decoder;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;
import dev.braid.tensor.Sinusoids;
import dev.braid.text.encoder.AttentionPattern;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.transformer.AttentionBias;
import dev.braid.text.transformer.Dropout;
import dev.braid.text.transformer.KeyValues;
import dev.braid.text.transformer.Norm;
import dev.braid.text.transformer.NormPlacement;
import dev.braid.text.transformer.RotaryEmbedding;
import dev.braid.text.transformer.TransformerDecoderLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * A Transformer decoder over token ids, configured by one {@link DecoderConfig}: token embedding
 * and positions, {@link TransformerDecoderLayer}s (causal or prefix self-attention, cross-attention
 * over a memory when configured and given, feed-forward), and logits through the token embedding
 * transposed (weight tying, as GPT-2).
 *
 * <p>{@code forward} input: {@code NDList(ids [B, T] int, mask [B, T] boolean)}, or with a memory
 * {@code NDList(ids, mask, memory [B, S, D] float, memoryMask [B, S] boolean)}, masks true at real
 * positions; output {@code NDList(logits [B, T, V])}. Logit t predicts token t + 1, and depends
 * only on ids 0..t (and the memory): train it with {@link TeacherForcing} and {@link DecoderLoss}.
 * With {@link DecoderConfig#copyFromMemory} a fifth input, {@code memoryIds [B, S]} (each memory
 * position's token id, negative where it has none), lets the decoder copy those tokens ({@link
 * MemoryCopy}), and the logits are log-probabilities.
 *
 * <p>Incremental decoding: {@link #newCache} computes the memory's keys and values once, then each
 * {@link #step} takes only the new positions and returns their logits, the same as a full forward
 * over everything so far would give at those positions.
 *
 * <p>Absolute positions (sinusoidal, learned) count a row's real tokens, so a left-padded prompt
 * (as {@code dev.braid.text.generate} batches them) gets the positions it would have alone; RoPE
 * and ALiBi depend on distances only, which padding on the left does not change.
 */
public final class TransformerDecoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DecoderConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter learnedPositions;
    private final float[] sinusoids;
    private final Dropout embeddingDropout;
    private final List<TransformerDecoderLayer> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final MemoryCopy copy;

    public TransformerDecoder(DecoderConfig config) {
        super(VERSION);
        this.config = config;
        int width = config.width();
        tokenEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("tokenEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(config.vocabularySize(), width))
                                .optInitializer(
                                        new NormalInitializer((float) Math.pow(width, -0.5)))
                                .build());
        learnedPositions =
                config.position() == PositionEncoding.LEARNED
                        ? addParameter(
                                Parameter.builder()
                                        .setName("positionEmbedding")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optShape(new Shape(config.maxLength(), width))
                                        .optInitializer(new NormalInitializer(0.02f))
                                        .build())
                        : null;
        sinusoids =
                config.position() == PositionEncoding.SINUSOIDAL
                        ? sinusoidTable(config.maxLength(), width)
                        : null;
        embeddingDropout =
                addChildBlock(
                        "embeddingDropout", Dropout.builder().optRate(config.dropout()).build());
        RotaryEmbedding rotary =
                config.position() == PositionEncoding.ROPE
                        ? new RotaryEmbedding(config.layerConfig().headWidth())
                        : null;
        boolean cross = config.crossAttention() == CrossAttention.EVERY_LAYER;
        for (int i = 0; i < config.layers(); i++) {
            layers.add(
                    addChildBlock(
                            "layer" + i,
                            cross
                                    ? TransformerDecoderLayer.withCrossAttention(
                                            config.layerConfig(), rotary)
                                    : TransformerDecoderLayer.selfAttentionOnly(
                                            config.layerConfig(), rotary)));
        }
        finalNorm =
                config.placement() == NormPlacement.PRE_LN
                        ? addChildBlock("finalNorm", new Norm(config.norm(), width))
                        : null;
        copy = config.copyFromMemory() ? addChildBlock("copy", new MemoryCopy(width)) : null;
    }

    /** Returns the configuration this decoder was built from. */
    public DecoderConfig config() {
        return config;
    }

    /** Returns the token embedding matrix {@code [V, D]}, also the output projection. */
    public Parameter tokenEmbedding() {
        return tokenEmbedding;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        checkTokens(ids, mask, 0);
        NDManager manager = ids.getManager();
        NDArray memoryBias = null;
        List<KeyValues> memory = null;
        MemoryCopy.Source copySource = null;
        if (inputs.size() > 2 && config.crossAttention() == CrossAttention.EVERY_LAYER) {
            memoryBias = memoryBias(inputs.get(2), inputs.get(3));
            memory = memoryKeyValues(store, inputs.get(2), training);
            copySource =
                    copySource(
                            store,
                            inputs.get(2),
                            inputs.get(3),
                            inputs.size() > 4 ? inputs.get(4) : null,
                            training);
        } else if (inputs.size() > 2) {
            throw new IllegalArgumentException(
                    "a memory was given, but crossAttention is NONE; configure EVERY_LAYER");
        }
        NDArray positions = Scalars.maximum(mask.toType(DataType.INT64, false).cumSum(1).sub(1), 0);
        NDArray selfBias = selfBias(manager, AttentionBias.keyPadding(mask), ids, 0);
        List<KeyValues> past = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            past.add(null);
        }
        return new NDList(
                decode(
                        store,
                        ids,
                        positions,
                        selfBias,
                        past,
                        memory,
                        memoryBias,
                        copySource,
                        training));
    }

    /**
     * What the memory offers to copy, or null if no ids came (a copying decoder then writes from
     * its vocabulary alone).
     *
     * @throws IllegalArgumentException if ids came to a decoder that does not copy
     */
    private MemoryCopy.Source copySource(
            ParameterStore store,
            NDArray memory,
            NDArray memoryMask,
            NDArray memoryIds,
            boolean training) {
        if (memoryIds == null) {
            return null;
        }
        if (copy == null) {
            throw new IllegalArgumentException(
                    "memoryIds were given, but copyFromMemory is off; configure it");
        }
        return copy.source(
                store,
                memory,
                memoryMask,
                memoryIds,
                store.getValue(tokenEmbedding, memory.getDevice(), training),
                training);
    }

    /**
     * The logits of the new positions, running every layer once; {@code past} is replaced in place
     * by each layer's keys and values of all positions so far.
     */
    private NDArray decode(
            ParameterStore store,
            NDArray ids,
            NDArray positions,
            NDArray selfBias,
            List<KeyValues> past,
            List<KeyValues> memory,
            NDArray memoryBias,
            MemoryCopy.Source copySource,
            boolean training) {
        NDArray x = embed(store, ids, positions, training); // (B, T, D)
        for (int i = 0; i < layers.size(); i++) {
            TransformerDecoderLayer.Step step =
                    layers.get(i)
                            .step(
                                    store,
                                    x,
                                    past.get(i),
                                    selfBias,
                                    memory == null ? null : memory.get(i),
                                    memoryBias,
                                    training);
            x = step.output();
            past.set(i, step.keyValues());
        }
        if (finalNorm != null) {
            x = finalNorm.forward(store, new NDList(x), training).singletonOrThrow();
        }
        NDArray embedding = store.getValue(tokenEmbedding, x.getDevice(), training);
        NDArray transposed = embedding.transpose(); // (D, V)
        transposed.attach(x.getManager()); // an op on a parameter joins the parameter's manager
        NDArray logits = x.matMul(transposed); // (B, T, V)
        if (copy == null) {
            return logits;
        }
        // a copying decoder always answers log-probabilities, with or without a source
        return copySource == null
                ? logits.logSoftmax(-1)
                : copy.logProbabilities(store, x, ids, embedding, logits, copySource, training);
    }

    /** Token embeddings at unit scale plus absolute positions, then dropout. */
    private NDArray embed(ParameterStore store, NDArray ids, NDArray positions, boolean training) {
        NDArray table = store.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray x = lookup(ids, table, "token ids", config.vocabularySize());
        x = Scalars.mul(x, Math.sqrt(config.width())); // (B, T, D)
        if (config.position() == PositionEncoding.LEARNED) {
            NDArray positionTable = store.getValue(learnedPositions, ids.getDevice(), training);
            x = x.add(lookup(positions, positionTable, "positions", config.maxLength()));
        } else if (config.position() == PositionEncoding.SINUSOIDAL) {
            NDArray positionTable =
                    ids.getManager()
                            .create(sinusoids, new Shape(config.maxLength(), config.width()));
            x = x.add(lookup(positions, positionTable, "positions", config.maxLength()));
        }
        return embeddingDropout.forward(store, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray lookup(NDArray ids, NDArray table, String what, int size) {
        try {
            return Embedding.embedding(ids.toType(DataType.INT64, false), table, SparseFormat.DENSE)
                    .singletonOrThrow();
        } catch (EngineException e) {
            throw new IllegalArgumentException(
                    what
                            + " must be in [0, "
                            + size
                            + "): "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    /**
     * The self-attention bias of {@code ids.length} new positions after {@code pastLength}: padded
     * keys blocked, causal (or prefix), plus ALiBi.
     *
     * @param keyPadding {@code [B, 1, 1, Tpast + T]}
     */
    private NDArray selfBias(NDManager manager, NDArray keyPadding, NDArray ids, int pastLength) {
        int queries = Math.toIntExact(ids.getShape().get(1));
        int keys = pastLength + queries;
        int prefix = config.attention() == AttentionPattern.PREFIX ? config.prefixLength() : 0;
        NDArray bias = keyPadding.add(AttentionBias.prefix(manager, queries, keys, prefix));
        if (config.position() == PositionEncoding.ALIBI) {
            bias = bias.add(AttentionBias.alibi(manager, config.heads(), queries, keys));
        }
        return bias; // (B, 1 or H, T, Tpast + T)
    }

    private static NDArray memoryBias(NDArray memory, NDArray memoryMask) {
        Shape shape = memory.getShape();
        if (shape.dimension() != 3
                || !memoryMask.getShape().equals(shape.slice(0, 2))
                || memoryMask.getDataType() != DataType.BOOLEAN) {
            throw new IllegalArgumentException(
                    "memory must be [B, S, D] with a boolean mask [B, S], found "
                            + shape
                            + " and "
                            + memoryMask.getShape()
                            + " "
                            + memoryMask.getDataType());
        }
        return AttentionBias.keyPadding(memoryMask); // (B, 1, 1, S)
    }

    private List<KeyValues> memoryKeyValues(
            ParameterStore store, NDArray memory, boolean training) {
        if (memory.getShape().get(2) != config.width()) {
            throw new IllegalArgumentException(
                    "memory width ("
                            + memory.getShape().get(2)
                            + ") must equal the decoder's width ("
                            + config.width()
                            + "); project the memory first");
        }
        List<KeyValues> memoryKeyValues = new ArrayList<>(layers.size());
        for (TransformerDecoderLayer layer : layers) {
            memoryKeyValues.add(layer.memoryKeyValues(store, memory, training));
        }
        return memoryKeyValues;
    }

    /**
     * A cache for decoding {@code batch} sequences with no memory (a decoder-only model, or a
     * decoder with cross-attention run as a plain LM).
     *
     * @param manager the cache's arrays live in a child of it, freed by {@link
     *     DecoderCache#close()}
     */
    public DecoderCache newCache(NDManager manager, int batch) {
        return new DecoderCache(manager, batch, layers.size(), null, null, null);
    }

    /**
     * A cache for decoding over a memory, whose cross-attention keys and values it computes now,
     * once for the whole sequence.
     *
     * @param memory {@code [B, S, D]}
     * @param memoryMask boolean {@code [B, S]}, true at real positions
     * @throws IllegalArgumentException if the decoder has no cross-attention or the shapes differ
     */
    public DecoderCache newCache(
            ParameterStore store, NDManager manager, NDArray memory, NDArray memoryMask) {
        return newCache(store, manager, memory, memoryMask, null);
    }

    /**
     * A cache for decoding over a memory whose positions may carry token ids to copy ({@link
     * DecoderConfig#copyFromMemory}).
     *
     * @param memoryIds int {@code [B, S]}, negative where a position has no token; or null
     * @throws IllegalArgumentException if ids are given to a decoder that does not copy
     */
    public DecoderCache newCache(
            ParameterStore store,
            NDManager manager,
            NDArray memory,
            NDArray memoryMask,
            NDArray memoryIds) {
        if (config.crossAttention() != CrossAttention.EVERY_LAYER) {
            throw new IllegalArgumentException(
                    "a memory was given, but crossAttention is NONE; configure EVERY_LAYER");
        }
        try (NDManager setup = manager.newSubManager()) {
            // the projections' intermediates go to setup, not to the caller's memory's manager
            setup.tempAttachAll(memory, memoryMask);
            NDArray bias = memoryBias(memory, memoryMask);
            List<KeyValues> kv = memoryKeyValues(store, memory, false);
            if (memoryIds != null) {
                setup.tempAttachAll(memoryIds);
            }
            MemoryCopy.Source copySource = copySource(store, memory, memoryMask, memoryIds, false);
            return new DecoderCache(
                    manager,
                    Math.toIntExact(memory.getShape().get(0)),
                    layers.size(),
                    kv,
                    bias,
                    copySource);
        }
    }

    /**
     * Decodes the next positions of every sequence in the cache, in inference mode: the first call
     * takes the prompts (left-padded), later ones one token a row. The cache then holds these
     * positions too.
     *
     * @param ids the new tokens {@code [B, T]}
     * @param mask boolean {@code [B, T]}, false at padding (and for finished rows)
     * @return logits of the new positions {@code [B, T, V]}, in {@code ids}' manager
     * @throws IllegalArgumentException if the shapes differ from the cache's or the total length
     *     would exceed {@code maxLength}
     */
    public NDArray step(ParameterStore store, DecoderCache cache, NDArray ids, NDArray mask) {
        checkTokens(ids, mask, cache.length());
        if (ids.getShape().get(0) != cache.batch()) {
            throw new IllegalArgumentException(
                    "ids have " + ids.getShape().get(0) + " rows, the cache " + cache.batch());
        }
        NDManager manager = ids.getManager();
        int steps = Math.toIntExact(ids.getShape().get(1));
        NDArray realSoFar =
                cache.realCount() == null
                        ? manager.zeros(new Shape(cache.batch(), 1), DataType.INT64)
                        : cache.realCount();
        NDArray counts = mask.toType(DataType.INT64, false).cumSum(1).add(realSoFar); // (B, T)
        NDArray positions = Scalars.maximum(counts.sub(1), 0);
        NDArray keyMask = cache.keyMask() == null ? mask : cache.keyMask().concat(mask, 1);
        NDArray selfBias =
                selfBias(manager, AttentionBias.keyPadding(keyMask), ids, cache.length());
        List<KeyValues> past = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            past.add(cache.self(i));
        }
        List<KeyValues> memory = null;
        if (cache.hasMemory()) {
            memory = new ArrayList<>(layers.size());
            for (int i = 0; i < layers.size(); i++) {
                memory.add(cache.memory(i));
            }
        }
        NDArray logits =
                decode(
                        store,
                        ids,
                        positions,
                        selfBias,
                        past,
                        memory,
                        cache.memoryBias(),
                        cache.copySource(),
                        false);
        NDArray realCount = counts.get(":, -1:"); // (B, 1)
        cache.advance(past, keyMask, realCount, steps);
        return logits;
    }

    private void checkTokens(NDArray ids, NDArray mask, int pastLength) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("ids must be [batch, length], found shape " + shape);
        }
        if (!mask.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "mask shape " + mask.getShape() + " must equal ids shape " + shape);
        }
        if (mask.getDataType() != DataType.BOOLEAN) {
            throw new IllegalArgumentException("mask must be boolean, found " + mask.getDataType());
        }
        if (pastLength + shape.get(1) > config.maxLength()) {
            throw new IllegalArgumentException(
                    "length ("
                            + (pastLength + shape.get(1))
                            + ") exceeds maxLength ("
                            + config.maxLength()
                            + "); generate fewer tokens or raise maxLength");
        }
    }

    /** The sinusoidal table {@code [maxLength, D]} as {@link Sinusoids#interleaved} writes it. */
    private static float[] sinusoidTable(int length, int width) {
        float[] table = new float[length * width];
        for (int t = 0; t < length; t++) {
            Sinusoids.interleaved(table, t * width, t, width);
        }
        return table;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabularySize())};
    }

    /**
     * Input shapes as {@code forward}'s: ids and mask, then optionally memory and memory mask. A
     * decoder with cross-attention initialised without a memory shape assumes memory width D.
     */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape x = new Shape(ids.get(0), ids.get(1), config.width());
        embeddingDropout.initialize(manager, dataType, x);
        Shape memory =
                inputShapes.length > 2 ? inputShapes[2] : new Shape(ids.get(0), 1, config.width());
        for (TransformerDecoderLayer layer : layers) {
            if (layer.hasCrossAttention()) {
                layer.initialize(manager, dataType, x, memory);
            } else {
                layer.initialize(manager, dataType, x);
            }
        }
        if (finalNorm != null) {
            finalNorm.initialize(manager, dataType, x);
        }
        if (copy != null) {
            copy.initialize(manager, dataType, x, memory);
        }
    }
}
