package dev.braid.vision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A basic residual block (He et al. 2016): {@code act(bn(conv3x3(act(bn(conv3x3_s(x))))) +
 * shortcut(x))}. The shortcut is the identity when shape is kept, otherwise a strided 1 x 1
 * convolution with BatchNorm.
 *
 * <p>Shapes (B batch, C channels, H height, W width, s stride):
 *
 * <ul>
 *   <li>input: {@code (B, C_in, H, W)}
 *   <li>output: {@code (B, C_out, ceil(H / s), ceil(W / s))}
 * </ul>
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Nonlinearity nonlinearity;
    private final Block conv1;
    private final Block norm1;
    private final Block conv2;
    private final Block norm2;
    private final Block shortcut;

    private ResidualBlock(Builder builder) {
        super(VERSION);
        nonlinearity = builder.nonlinearity;
        Shape stride = new Shape(builder.stride, builder.stride);
        conv1 = addChildBlock("conv1", conv3x3(builder.outputChannels, stride));
        norm1 = addChildBlock("norm1", BatchNorm.builder().build());
        conv2 = addChildBlock("conv2", conv3x3(builder.outputChannels, new Shape(1, 1)));
        norm2 = addChildBlock("norm2", BatchNorm.builder().build());
        boolean keepsShape = builder.stride == 1 && builder.inputChannels == builder.outputChannels;
        shortcut =
                addChildBlock(
                        "shortcut",
                        keepsShape
                                ? new LambdaBlock(x -> x, "identity")
                                : new SequentialBlock()
                                        .add(
                                                Conv2d.builder()
                                                        .setKernelShape(new Shape(1, 1))
                                                        .optStride(stride)
                                                        .setFilters(builder.outputChannels)
                                                        .optBias(false)
                                                        .build())
                                        .add(BatchNorm.builder().build()));
    }

    private static Block conv3x3(int filters, Shape stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(stride)
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .optBias(false) // BatchNorm follows and has its own shift
                .build();
    }

    /** A builder: set both channel counts; stride and activation are optional. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray y = conv1.forward(parameterStore, inputs, training).singletonOrThrow();
        y = norm1.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        y = nonlinearity.apply(y);
        y = conv2.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        y = norm2.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        NDArray skip = shortcut.forward(parameterStore, inputs, training).singletonOrThrow();
        return new NDList(nonlinearity.apply(y.add(skip))); // (B, C_out, H/s, W/s)
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] hidden = conv1.getOutputShapes(inputShapes);
        norm1.initialize(manager, dataType, hidden);
        conv2.initialize(manager, dataType, hidden);
        norm2.initialize(manager, dataType, conv2.getOutputShapes(hidden));
        shortcut.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }

    /** Builds a {@link ResidualBlock}. */
    public static final class Builder {

        private int inputChannels;
        private int outputChannels;
        private int stride = 1;
        private Nonlinearity nonlinearity = Nonlinearity.RELU;

        private Builder() {}

        /** Sets C_in, the channels of the input. Required. */
        public Builder setInputChannels(int channels) {
            this.inputChannels = channels;
            return this;
        }

        /** Sets C_out, the channels of the output. Required. */
        public Builder setOutputChannels(int channels) {
            this.outputChannels = channels;
            return this;
        }

        /** Sets the stride of the first convolution and the shortcut; default 1. */
        public Builder optStride(int value) {
            this.stride = value;
            return this;
        }

        /** Sets the activation; default ReLU. */
        public Builder optNonlinearity(Nonlinearity value) {
            this.nonlinearity = value;
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException if a channel count or the stride is not positive
         */
        public ResidualBlock build() {
            if (inputChannels < 1) {
                throw new IllegalArgumentException(
                        "inputChannels ("
                                + inputChannels
                                + ") must be positive; call setInputChannels");
            }
            if (outputChannels < 1) {
                throw new IllegalArgumentException(
                        "outputChannels ("
                                + outputChannels
                                + ") must be positive; call setOutputChannels");
            }
            if (stride < 1) {
                throw new IllegalArgumentException("stride (" + stride + ") must be positive");
            }
            if (nonlinearity == null) {
                throw new IllegalArgumentException("nonlinearity must not be null");
            }
            return new ResidualBlock(this);
        }
    }
}
