package dev.braid.audio.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a batch of log-mel spectrograms into time tokens and a mask (the Braid encoder contract).
 *
 * <p>Layers: {@code convLayers} × (zero the padded frames, 3×3 convolution with stride 2 over (mel,
 * time), or with the {@link AudioFrontEnd#CONV1D} front end a kernel-3 stride-2 convolution over
 * time with the mels as channels, GELU); each time step's {@code C × M'} features projected to D
 * and layer-normalised; {@code temporalBlocks} × {@link TemporalConvBlock}; padded tokens set to
 * zero. There is no batch normalisation and every convolution sees padded frames as zeros, so a
 * real token depends only on its clip's real frames: changing or removing padding never changes it.
 *
 * <p>Shapes (B batch, M mels, F frames, C channels, T' = {@link #outputFrames(int, int)
 * outputFrames(F, L)} tokens, D width):
 *
 * <ul>
 *   <li>input: {@code logMel (B, M, F)} float, {@code lengths (B)} int, the real frame count of
 *       each clip (0 ≤ length ≤ F; 0 means the clip is absent; values outside are clamped);
 *   <li>output: {@code tokens (B, T', D)} float, zero at padding, and {@code mask (B, T')} boolean,
 *       true for the first {@code outputFrames(length, L)} tokens of each clip.
 * </ul>
 *
 * <pre>{@code
 * SpectrogramEncoder encoder = new SpectrogramEncoder(AudioEncoderConfig.small());
 * encoder.initialize(manager, DataType.FLOAT32, new Shape(32, 64, 101), new Shape(32));
 * NDList out = encoder.forward(parameterStore, SpectrogramBatch.of(manager, clips, 101), false);
 * }</pre>
 */
public final class SpectrogramEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final AudioEncoderConfig config;
    private final List<Block> convolutions = new ArrayList<>();
    private final Linear projection;
    private final LayerNorm norm;
    private final List<TemporalConvBlock> temporal = new ArrayList<>();

    /**
     * Creates an encoder; call {@code initialize} before use.
     *
     * @param config the sizes
     */
    public SpectrogramEncoder(AudioEncoderConfig config) {
        super(VERSION);
        this.config = config;
        boolean oneD = config.frontEnd() == AudioFrontEnd.CONV1D;
        for (int i = 0; i < config.convLayers(); i++) {
            convolutions.add(
                    addChildBlock(
                            "conv" + i,
                            oneD
                                    ? Conv1d.builder()
                                            .setKernelShape(new Shape(3))
                                            .optStride(new Shape(2))
                                            .optPadding(new Shape(1))
                                            .setFilters(config.channels())
                                            .build()
                                    : Conv2d.builder()
                                            .setKernelShape(new Shape(3, 3))
                                            .optStride(new Shape(2, 2))
                                            .optPadding(new Shape(1, 1))
                                            .setFilters(config.channels())
                                            .build()));
        }
        projection = addChildBlock("projection", Linear.builder().setUnits(config.width()).build());
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        for (int i = 0; i < config.temporalBlocks(); i++) {
            temporal.add(
                    addChildBlock(
                            "temporal" + i,
                            TemporalConvBlock.builder()
                                    .setWidth(config.width())
                                    .optKernel(config.temporalKernel())
                                    .build()));
        }
    }

    /** Returns the configuration. */
    public AudioEncoderConfig config() {
        return config;
    }

    /**
     * Maps an input frame count to the token count after {@code convLayers} stride-2 convolutions:
     * {@code ceil(frames / 2^convLayers)} (0 stays 0). Applies both to a batch's padded width and
     * to each clip's real length.
     *
     * @param frames input frames, >= 0
     * @param convLayers the number of stride-2 layers
     * @return the number of output tokens
     */
    public static int outputFrames(int frames, int convLayers) {
        return downsample(frames, convLayers);
    }

    /** Returns {@link #outputFrames(int, int)} for this encoder's layer count. */
    public int outputFrames(int frames) {
        return outputFrames(frames, config.convLayers());
    }

    static int downsample(int n, int layers) {
        if (n < 0) {
            throw new IllegalArgumentException("frames (" + n + ") must be >= 0");
        }
        for (int i = 0; i < layers; i++) {
            n = (n + 1) / 2;
        }
        return n;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        checkInputs(inputs.get(0).getShape(), inputs.get(1).getShape());
        boolean oneD = config.frontEnd() == AudioFrontEnd.CONV1D;
        // 2-D: (B, 1, M, F), one channel; 1-D: (B, M, F), the mels as channels
        NDArray x = oneD ? inputs.get(0) : inputs.get(0).expandDims(1);
        // Clamped in the graph rather than checked: a check would read the lengths back every
        // step, and the batches Braid builds (SpectrogramBatch, the fusion Collator) cannot break
        // it.
        int time = x.getShape().dimension() - 1; // the frames are the last axis either way
        long frames = x.getShape().get(time);
        NDArray lengths = inputs.get(1).toType(DataType.FLOAT32, false).clip(0, frames); // (B)
        for (Block conv : convolutions) {
            NDArray keep = keep(lengths, x.getShape().get(time)); // (B, F)
            x =
                    oneD
                            ? x.mul(keep.reshape(keep.getShape().get(0), 1, -1)) // (B, C, F)
                            : x.mul(keep.reshape(keep.getShape().get(0), 1, 1, -1)); // (B, C, M, F)
            x = conv.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            x = Activation.gelu(x); // (B, C, [ceil(M/2),] ceil(F/2))
            lengths = Scalars.div(lengths.add(1), 2).floor();
        }
        Shape s = x.getShape(); // (B, C, M', T') or (B, C, T')
        long steps = s.get(time);
        x =
                oneD
                        ? x.transpose(0, 2, 1) // (B, T', C)
                        : x.transpose(0, 3, 1, 2)
                                .reshape(s.get(0), steps, s.get(1) * s.get(2)); // (B, T', C·M')
        x = projection.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = norm.forward(parameterStore, new NDList(x), training).singletonOrThrow(); // (B, T', D)
        NDArray keep = keep(lengths, steps); // (B, T')
        for (TemporalConvBlock block : temporal) {
            x = block.forward(parameterStore, new NDList(x, keep), training).singletonOrThrow();
        }
        x = x.mul(keep.expandDims(2)); // (B, T', D)
        return new NDList(x, keep.toType(DataType.BOOLEAN, false));
    }

    /** 1 where {@code t < length} and 0 elsewhere, {@code (B, frames)} float. */
    private static NDArray keep(NDArray lengths, long frames) {
        NDArray steps = lengths.getManager().arange(0f, (float) frames, 1f).reshape(1, frames);
        return steps.lt(lengths.reshape(-1, 1)).toType(DataType.FLOAT32, false);
    }

    private void checkInputs(Shape logMel, Shape lengths) {
        if (logMel.dimension() != 3 || logMel.get(1) != config.mels()) {
            throw new IllegalArgumentException(
                    "logMel shape "
                            + logMel
                            + " must be (B, mels ("
                            + config.mels()
                            + "), F); the feature nMels must equal AudioEncoderConfig.mels");
        }
        if (lengths.dimension() != 1 || lengths.get(0) != logMel.get(0)) {
            throw new IllegalArgumentException(
                    "lengths shape " + lengths + " must be (B) with B = " + logMel.get(0));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape logMel = inputShapes[0];
        long batch = logMel.get(0);
        long tokens = outputFrames((int) logMel.get(2));
        return new Shape[] {new Shape(batch, tokens, config.width()), new Shape(batch, tokens)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInputs(inputShapes[0], inputShapes[1]);
        boolean oneD = config.frontEnd() == AudioFrontEnd.CONV1D;
        Shape in = inputShapes[0]; // (B, M, F)
        Shape x = oneD ? in : new Shape(in.get(0), 1, in.get(1), in.get(2));
        for (Block conv : convolutions) {
            conv.initialize(manager, dataType, x);
            x = conv.getOutputShapes(new Shape[] {x})[0]; // (B, C, M', T') or (B, C, T')
        }
        long batch = x.get(0);
        long steps = x.get(x.dimension() - 1);
        long features = oneD ? x.get(1) : x.get(1) * x.get(2);
        projection.initialize(manager, dataType, new Shape(batch, steps, features)); // (B, T', ·)
        Shape projected = new Shape(batch, steps, config.width()); // (B, T', D)
        norm.initialize(manager, dataType, projected);
        for (TemporalConvBlock block : temporal) {
            block.initialize(manager, dataType, projected, new Shape(batch, steps));
        }
    }
}
