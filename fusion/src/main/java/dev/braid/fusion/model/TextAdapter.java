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
import dev.braid.text.transformer.Norm;
import dev.braid.text.transformer.NormKind;

/**
 * The trainable part of a pretrained text encoder whose frozen part ran during feature extraction
 * ({@link dev.braid.fusion.data.TextFeatures}): a linear map from the model's width to the fusion
 * width, then a layer norm, applied to each token's vector.
 *
 * <p>Input {@code NDList(vectors float [B, T, H], mask boolean [B, T])}; output {@code
 * NDList(tokens [B, T, D], mask [B, T])}, the mask passed through (padded positions are zeros in,
 * and whatever the norm makes of them out: fusion never reads them).
 */
public final class TextAdapter extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final Linear projection;
    private final Norm norm;

    /** An adapter to {@code width}; the input width is found at initialisation. */
    public TextAdapter(int width) {
        super(VERSION);
        this.width = width;
        projection = addChildBlock("projection", Linear.builder().setUnits(width).build());
        norm = addChildBlock("norm", new Norm(NormKind.LAYER_NORM, width));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray projected =
                projection
                        .forward(store, new NDList(inputs.get(0)), training)
                        .singletonOrThrow(); // (B, T, D)
        NDArray tokens = norm.forward(store, new NDList(projected), training).singletonOrThrow();
        return new NDList(tokens, inputs.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), width), inputShapes[1]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, inputShapes[0]);
        Shape in = inputShapes[0];
        norm.initialize(manager, dataType, new Shape(in.get(0), in.get(1), width));
    }
}
