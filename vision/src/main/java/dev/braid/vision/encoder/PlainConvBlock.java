package dev.braid.vision.encoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code act(bn(conv3x3_s(x)))}: one convolution of a plain (non-residual) stack.
 *
 * <p>Shapes: input {@code (B, C_in, H, W)}, output {@code (B, C_out, ceil(H / s), ceil(W / s))}.
 */
public final class PlainConvBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Nonlinearity nonlinearity;
    private final Block conv;
    private final Block norm;

    /** A block of {@code outputChannels} with stride {@code stride}. */
    public PlainConvBlock(int outputChannels, int stride, Nonlinearity nonlinearity) {
        super(VERSION);
        this.nonlinearity = nonlinearity;
        conv =
                addChildBlock(
                        "conv",
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optStride(new Shape(stride, stride))
                                .optPadding(new Shape(1, 1))
                                .setFilters(outputChannels)
                                .optBias(false) // BatchNorm follows and has its own shift
                                .build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        NDList y = norm.forward(store, conv.forward(store, inputs, training), training);
        return new NDList(nonlinearity.apply(y.singletonOrThrow()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... shapes) {
        conv.initialize(manager, type, shapes);
        norm.initialize(manager, type, conv.getOutputShapes(shapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] shapes) {
        return conv.getOutputShapes(shapes);
    }
}
