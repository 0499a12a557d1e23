package dev.braid.text.encoder;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;
import dev.braid.tensor.Sinusoids;
import dev.braid.text.transformer.AttentionBias;
import dev.braid.text.transformer.Dropout;
import dev.braid.text.transformer.Norm;
import dev.braid.text.transformer.NormPlacement;
import dev.braid.text.transformer.RotaryEmbedding;
import dev.braid.text.transformer.TransformerLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * A Transformer encoder over token ids, configured by one {@link TextEncoderConfig}.
 *
 * <p>Input {@code NDList(ids [B, T] int, mask [B, T] boolean)}, true at real positions. Output
 * {@code NDList(tokens [B, T, D] float, mask [B, T] boolean)}: Braid's encoder contract. Tokens at
 * padded positions are zero, and no real position attends to a padded one, so what stands in the
 * padding never changes the output.
 *
 * <p>Embeddings are initialised with standard deviation D^-1/2 and multiplied by D^1/2, so they
 * start at unit scale, like the sinusoidal positions they are added to; the same matrix, unscaled,
 * is the tied output projection of {@link dev.braid.text.pretrain.MaskedLanguageModel}.
 */
public final class TransformerTextEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TextEncoderConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter learnedPositions;
    private final Dropout embeddingDropout;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final Norm finalNorm;

    public TransformerTextEncoder(TextEncoderConfig config) {
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
        embeddingDropout =
                addChildBlock(
                        "embeddingDropout", Dropout.builder().optRate(config.dropout()).build());
        RotaryEmbedding rotary =
                config.position() == PositionEncoding.ROPE
                        ? new RotaryEmbedding(config.layerConfig().headWidth())
                        : null;
        for (int i = 0; i < config.layers(); i++) {
            layers.add(
                    addChildBlock("layer" + i, new TransformerLayer(config.layerConfig(), rotary)));
        }
        finalNorm =
                config.placement() == NormPlacement.PRE_LN
                        ? addChildBlock("finalNorm", new Norm(config.norm(), width))
                        : null;
    }

    /** Returns the configuration this encoder was built from. */
    public TextEncoderConfig config() {
        return config;
    }

    /** Returns the token embedding matrix {@code [V, D]}, for a tied output projection. */
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
        checkInputs(ids, mask);
        NDManager manager = ids.getManager();
        int length = Math.toIntExact(ids.getShape().get(1));
        int width = config.width();

        NDArray table = store.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray x = embed(ids, table); // (B, T, D)
        x = Scalars.mul(x, Math.sqrt(width)); // (B, T, D)
        if (config.position() == PositionEncoding.SINUSOIDAL) {
            x = x.add(sinusoids(manager, length, width));
        } else if (config.position() == PositionEncoding.LEARNED) {
            NDArray positions = store.getValue(learnedPositions, ids.getDevice(), training);
            x =
                    x.add(
                            positions.get(
                                    manager,
                                    new NDIndex(":{}", length))); // (T, D) broadcast over B
        }
        x = embeddingDropout.forward(store, new NDList(x), training).singletonOrThrow();

        NDArray bias = attentionBias(manager, mask, length);
        for (TransformerLayer layer : layers) {
            x = layer.forward(store, new NDList(x, bias), training).singletonOrThrow();
        }
        if (finalNorm != null) {
            x = finalNorm.forward(store, new NDList(x), training).singletonOrThrow();
        }
        x = x.mul(mask.toType(DataType.FLOAT32, false).expandDims(2)); // zero the padding
        return new NDList(x, mask);
    }

    /**
     * The token embeddings of {@code ids}. Torch itself refuses an id outside the table; the range
     * is not checked beforehand, since that would read the ids back every step.
     */
    private NDArray embed(NDArray ids, NDArray table) {
        try {
            return Embedding.embedding(ids.toType(DataType.INT64, false), table, SparseFormat.DENSE)
                    .singletonOrThrow();
        } catch (EngineException e) {
            throw new IllegalArgumentException(
                    "token ids must be in [0, "
                            + config.vocabularySize()
                            + "): "
                            + e.getMessage().lines().findFirst().orElse("")
                            + "; was the batch encoded with another tokenizer?",
                    e);
        }
    }

    private void checkInputs(NDArray ids, NDArray mask) {
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
        if (shape.get(1) > config.maxLength()) {
            throw new IllegalArgumentException(
                    "length ("
                            + shape.get(1)
                            + ") exceeds maxLength ("
                            + config.maxLength()
                            + "); truncate when encoding the batch");
        }
    }

    private NDArray attentionBias(NDManager manager, NDArray mask, int length) {
        NDArray bias = AttentionBias.keyPadding(mask); // (B, 1, 1, T)
        switch (config.attention()) {
            case CAUSAL -> bias = bias.add(AttentionBias.causal(manager, length));
            case PREFIX ->
                    bias = bias.add(AttentionBias.prefix(manager, length, config.prefixLength()));
            case BIDIRECTIONAL -> {}
        }
        if (config.position() == PositionEncoding.ALIBI) {
            bias = bias.add(AttentionBias.alibi(manager, config.heads(), length)); // (B, H, T, T)
        }
        return bias;
    }

    /** The sinusoidal table {@code [T, D]}: sin at even features, cos at odd ones. */
    static NDArray sinusoids(NDManager manager, int length, int width) {
        float[] table = new float[length * width];
        for (int t = 0; t < length; t++) {
            Sinusoids.interleaved(table, t * width, t, width);
        }
        return manager.create(table, new Shape(length, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.width()), ids};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.width());
        embeddingDropout.initialize(manager, dataType, x);
        for (Block layer : layers) {
            layer.initialize(manager, dataType, x);
        }
        if (finalNorm != null) {
            finalNorm.initialize(manager, dataType, x);
        }
    }
}
