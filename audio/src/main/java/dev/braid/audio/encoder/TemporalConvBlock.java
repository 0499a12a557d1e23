package dev.braid.audio.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm residual 1D convolution over time that ignores padding: {@code y = x + conv(keep ⊙
 * gelu(LayerNorm(x)))}. Padded steps are zeroed before the convolution, so they never reach a real
 * step.
 *
 * <p>Shapes (B batch, T steps, D width):
 *
 * <ul>
 *   <li>input: {@code x (B, T, D)} float, {@code keep (B, T)} float, 1 for real steps and 0 for
 *       padding;
 *   <li>output: {@code y (B, T, D)}.
 * </ul>
 */
public final class TemporalConvBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LayerNorm norm;
    private final Conv1d conv;

    private TemporalConvBlock(Builder builder) {
        super(VERSION);
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        conv =
                addChildBlock(
                        "conv",
                        Conv1d.builder()
                                .setKernelShape(new Shape(builder.kernel))
                                .optPadding(new Shape(builder.kernel / 2))
                                .setFilters(builder.width)
                                .build());
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, D)
        NDArray keep = inputs.get(1).expandDims(2); // (B, T, 1)
        NDArray h = norm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        h = Activation.gelu(h).mul(keep);
        h = h.transpose(0, 2, 1); // (B, D, T)
        h = conv.forward(parameterStore, new NDList(h), training).singletonOrThrow();
        h = h.transpose(0, 2, 1); // (B, T, D)
        return new NDList(x.add(h));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, D)
        norm.initialize(manager, dataType, x);
        conv.initialize(manager, dataType, new Shape(x.get(0), x.get(2), x.get(1)));
    }

    /** Builds a {@link TemporalConvBlock}. */
    public static final class Builder {
        private int width;
        private int kernel = 3;

        private Builder() {}

        /** Sets the width D of the input and output (required). */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Sets the kernel size over time; odd (default 3). */
        public Builder optKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Builds the block. */
        public TemporalConvBlock build() {
            if (width <= 0) {
                throw new IllegalArgumentException("width (" + width + ") must be positive");
            }
            if (kernel < 1 || kernel % 2 == 0) {
                throw new IllegalArgumentException(
                        "kernel (" + kernel + ") must be odd and positive");
            }
            return new TemporalConvBlock(this);
        }
    }
}
