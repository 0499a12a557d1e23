package dev.braid.vision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * A residual CNN that turns images into a grid of tokens, per the Braid encoder contract.
 *
 * <p>stem (3 x 3 conv, BatchNorm, activation) → stages of {@link ResidualBlock}s (stride 2 at the
 * start of every stage but the first) or of {@link PlainConvBlock}s (stride 2 at the start of every
 * stage) → 1 x 1 conv to width D → flatten the {@code H' x W'} grid into tokens → add the fixed
 * {@link SinCosPositionEmbedding}. See {@link ImageEncoderConfig}.
 *
 * <p>Shapes (B batch, C input channels, H height, W width, H' W' the feature grid with {@code H' =
 * ceil(H / config.downsampling())}, L = H'W', D token width):
 *
 * <ul>
 *   <li>input: {@code NDList(images)} or {@code NDList(images, present)}, images float {@code (B,
 *       C, H, W)}, present boolean {@code (B)}: whether each sample has an image
 *   <li>output: {@code NDList(tokens, mask)}, tokens float {@code (B, L, D)}, mask boolean {@code
 *       (B, L)}: all true for a present image, all false for an absent one
 * </ul>
 *
 * <p>Use {@code dev.braid.tensor.MaskedMean.of(NDList)} for one vector per image.
 */
public final class CnnImageEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ImageEncoderConfig config;
    private final Block stemConv;
    private final Block stemNorm;
    private final Block stages;
    private final Block projection;

    /** An encoder shaped by {@code config}; call {@code initialize} before use. */
    public CnnImageEncoder(ImageEncoderConfig config) {
        super(VERSION);
        this.config = Objects.requireNonNull(config, "config");
        stemConv =
                addChildBlock(
                        "stemConv",
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optStride(new Shape(config.stemStride(), config.stemStride()))
                                .optPadding(new Shape(1, 1))
                                .setFilters(config.stemChannels())
                                .optBias(false) // BatchNorm follows and has its own shift
                                .build());
        stemNorm = addChildBlock("stemNorm", BatchNorm.builder().build());
        SequentialBlock blocks = new SequentialBlock();
        int channels = config.stemChannels();
        for (int s = 0; s < config.stageChannels().size(); s++) {
            int stageChannels = config.stageChannels().get(s);
            boolean plain = config.stageBlock() == StageBlock.PLAIN;
            for (int b = 0; b < config.stageBlocks().get(s); b++) {
                int stride = b == 0 && (s > 0 || plain) ? 2 : 1;
                blocks.add(
                        plain
                                ? new PlainConvBlock(stageChannels, stride, config.nonlinearity())
                                : ResidualBlock.builder()
                                        .setInputChannels(channels)
                                        .setOutputChannels(stageChannels)
                                        .optStride(stride)
                                        .optNonlinearity(config.nonlinearity())
                                        .build());
                channels = stageChannels;
            }
        }
        stages = addChildBlock("stages", blocks);
        projection =
                addChildBlock(
                        "projection",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(config.width())
                                .build());
    }

    /** The configuration this encoder was built from. */
    public ImageEncoderConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.get(0); // (B, C, H, W)
        checkInput(images.getShape());
        NDArray stem =
                stemConv.forward(parameterStore, new NDList(images), training).singletonOrThrow();
        stem = stemNorm.forward(parameterStore, new NDList(stem), training).singletonOrThrow();
        NDList x = new NDList(config.nonlinearity().apply(stem)); // (B, C_stem, H/s, W/s)
        x = stages.forward(parameterStore, x, training);
        NDArray grid = projection.forward(parameterStore, x, training).singletonOrThrow();
        Shape shape = grid.getShape(); // (B, D, H', W')
        long batch = shape.get(0);
        int rows = (int) shape.get(2);
        int cols = (int) shape.get(3);
        NDManager manager = grid.getManager();
        NDArray tokens =
                grid.reshape(batch, config.width(), (long) rows * cols) // (B, D, L)
                        .transpose(0, 2, 1) // (B, L, D)
                        .add(SinCosPositionEmbedding.create(manager, rows, cols, config.width()));
        NDArray mask = manager.ones(new Shape(batch, (long) rows * cols), DataType.BOOLEAN);
        if (inputs.size() > 1) {
            mask = mask.logicalAnd(inputs.get(1).expandDims(1)); // an absent image: all false
        }
        return new NDList(tokens, mask); // (B, L, D), (B, L)
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        Shape[] images = {inputShapes[0]};
        stemConv.initialize(manager, dataType, images);
        Shape[] features = stemConv.getOutputShapes(images);
        stemNorm.initialize(manager, dataType, features);
        stages.initialize(manager, dataType, features);
        projection.initialize(manager, dataType, stages.getOutputShapes(features));
    }

    /** Computed from the layers' arithmetic alone; allocates no arrays. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape grid =
                projection
                        .getOutputShapes(
                                stages.getOutputShapes(
                                        stemConv.getOutputShapes(new Shape[] {inputShapes[0]})))[0];
        long batch = grid.get(0);
        long length = grid.get(2) * grid.get(3);
        return new Shape[] {new Shape(batch, length, config.width()), new Shape(batch, length)};
    }

    private void checkInput(Shape images) {
        if (images.dimension() != 4 || images.get(1) != config.inputChannels()) {
            throw new IllegalArgumentException(
                    "images "
                            + images
                            + " must be (B, "
                            + config.inputChannels()
                            + ", H, W) as ImageEncoderConfig.inputChannels says");
        }
    }
}
