package dev.braid.vision.encoder;

import java.util.List;
import java.util.Objects;

/**
 * Everything that shapes a {@link CnnImageEncoder}.
 *
 * <p>The image passes a 3 x 3 stem convolution with stride {@code stemStride}, then one stage per
 * entry of {@code stageChannels}, each of {@code stageBlocks[i]} residual blocks; every stage but
 * the first starts with a stride-2 block (with {@link StageBlock#PLAIN} blocks, every stage does).
 * The feature map is therefore {@code stemStride * 2^(S - 1)} (plain: {@code 2^S}) times smaller
 * than the image on each side (rounded up), S the number of stages.
 *
 * @param inputChannels image channels, 1 (gray) or 3 (RGB)
 * @param stemChannels channels after the stem
 * @param stemStride stride of the stem convolution, 1 (small images) or 2
 * @param stageChannels channels of each stage
 * @param stageBlocks residual blocks in each stage, one entry per stage
 * @param width D, the width of each output token
 * @param nonlinearity the activation after each BatchNorm
 * @param stageBlock what each block is: residual (the default), or one plain convolution, in which
 *     case every stage, the first too, halves the feature map
 */
public record ImageEncoderConfig(
        int inputChannels,
        int stemChannels,
        int stemStride,
        List<Integer> stageChannels,
        List<Integer> stageBlocks,
        int width,
        Nonlinearity nonlinearity,
        StageBlock stageBlock) {

    /** An encoder of residual blocks. */
    public ImageEncoderConfig(
            int inputChannels,
            int stemChannels,
            int stemStride,
            List<Integer> stageChannels,
            List<Integer> stageBlocks,
            int width,
            Nonlinearity nonlinearity) {
        this(
                inputChannels,
                stemChannels,
                stemStride,
                stageChannels,
                stageBlocks,
                width,
                nonlinearity,
                StageBlock.RESIDUAL);
    }

    /** Checks every field; messages name the field and the value found. */
    public ImageEncoderConfig {
        if (inputChannels != 1 && inputChannels != 3) {
            throw new IllegalArgumentException(
                    "inputChannels (" + inputChannels + ") must be 1 or 3");
        }
        if (stemChannels < 1) {
            throw new IllegalArgumentException(
                    "stemChannels (" + stemChannels + ") must be positive");
        }
        if (stemStride != 1 && stemStride != 2) {
            throw new IllegalArgumentException("stemStride (" + stemStride + ") must be 1 or 2");
        }
        stageChannels = List.copyOf(stageChannels);
        stageBlocks = List.copyOf(stageBlocks);
        if (stageChannels.isEmpty()) {
            throw new IllegalArgumentException("stageChannels is empty: at least one stage needed");
        }
        if (stageBlocks.size() != stageChannels.size()) {
            throw new IllegalArgumentException(
                    "stageBlocks "
                            + stageBlocks
                            + " must have one entry per stage of stageChannels "
                            + stageChannels);
        }
        for (int c : stageChannels) {
            if (c < 1) {
                throw new IllegalArgumentException(
                        "stageChannels " + stageChannels + " must all be positive");
            }
        }
        for (int b : stageBlocks) {
            if (b < 1) {
                throw new IllegalArgumentException(
                        "stageBlocks " + stageBlocks + " must all be at least 1");
            }
        }
        if (width < 4 || width % 4 != 0) {
            throw new IllegalArgumentException(
                    "width ("
                            + width
                            + ") must be a positive multiple of 4 (the 2D sine-cosine position"
                            + " code splits it into row and column sine-cosine pairs)");
        }
        Objects.requireNonNull(nonlinearity, "nonlinearity");
        if (stageBlock == null) {
            stageBlock = StageBlock.RESIDUAL; // a configuration saved before plain stacks
        }
    }

    /** Gray, stem 8 stride 1, stages 8 and 16 of one block, D = 16: for tests and toy data. */
    public static ImageEncoderConfig tiny() {
        return new ImageEncoderConfig(
                1, 8, 1, List.of(8, 16), List.of(1, 1), 16, Nonlinearity.RELU);
    }

    /**
     * RGB, stem 32 stride 2, stages 32-64-128-256 of one block, D = 256: 224 px gives 14 x 14
     * tokens.
     */
    public static ImageEncoderConfig small() {
        return new ImageEncoderConfig(
                3, 32, 2, List.of(32, 64, 128, 256), List.of(1, 1, 1, 1), 256, Nonlinearity.RELU);
    }

    /** RGB, stem 64 stride 2, stages 64-128-256-512 of two blocks (ResNet-18 widths), D = 512. */
    public static ImageEncoderConfig base() {
        return new ImageEncoderConfig(
                3, 64, 2, List.of(64, 128, 256, 512), List.of(2, 2, 2, 2), 512, Nonlinearity.RELU);
    }

    /** A copy with another input channel count. */
    public ImageEncoderConfig withInputChannels(int channels) {
        return new ImageEncoderConfig(
                channels,
                stemChannels,
                stemStride,
                stageChannels,
                stageBlocks,
                width,
                nonlinearity,
                stageBlock);
    }

    /** A copy with another token width D. */
    public ImageEncoderConfig withWidth(int tokenWidth) {
        return new ImageEncoderConfig(
                inputChannels,
                stemChannels,
                stemStride,
                stageChannels,
                stageBlocks,
                tokenWidth,
                nonlinearity,
                stageBlock);
    }

    /** A copy with another activation. */
    public ImageEncoderConfig withNonlinearity(Nonlinearity activation) {
        return new ImageEncoderConfig(
                inputChannels,
                stemChannels,
                stemStride,
                stageChannels,
                stageBlocks,
                width,
                activation,
                stageBlock);
    }

    /**
     * How many times smaller each side of the token grid is than the image (before rounding up).
     */
    public int downsampling() {
        int halvings =
                stageBlock == StageBlock.PLAIN ? stageChannels.size() : stageChannels.size() - 1;
        return stemStride << halvings;
    }
}
