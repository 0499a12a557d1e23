package dev.braid.audio.encoder;

/**
 * Configuration of a {@link SpectrogramEncoder}; every child reads its sizes from here.
 *
 * @param mels input mel bands M; must equal the feature extractor's {@code nMels}
 * @param channels feature maps of each 2D convolution C
 * @param convLayers number of 3×3 stride-2 convolutions; each halves mels and frames (rounding up),
 *     so {@code T' = ceil(F / 2^convLayers)}
 * @param width output token width D
 * @param temporalBlocks residual 1D convolution blocks over time after the projection (0 for none)
 * @param temporalKernel kernel size of those blocks, odd
 * @param frontEnd 2-D convolutions over (mel, time), the default, or 1-D ones over time with the
 *     mels as channels
 */
public record AudioEncoderConfig(
        int mels,
        int channels,
        int convLayers,
        int width,
        int temporalBlocks,
        int temporalKernel,
        AudioFrontEnd frontEnd) {

    /** An encoder with the 2-D front end. */
    public AudioEncoderConfig(
            int mels,
            int channels,
            int convLayers,
            int width,
            int temporalBlocks,
            int temporalKernel) {
        this(
                mels,
                channels,
                convLayers,
                width,
                temporalBlocks,
                temporalKernel,
                AudioFrontEnd.CONV2D);
    }

    /** Checks every field; messages name the field and the value found. */
    public AudioEncoderConfig {
        requirePositive("mels", mels);
        requirePositive("channels", channels);
        requirePositive("width", width);
        if (convLayers < 1 || convLayers > 6) {
            throw new IllegalArgumentException("convLayers (" + convLayers + ") must be in [1, 6]");
        }
        if (temporalBlocks < 0) {
            throw new IllegalArgumentException(
                    "temporalBlocks (" + temporalBlocks + ") must be >= 0");
        }
        if (temporalKernel < 1 || temporalKernel % 2 == 0) {
            throw new IllegalArgumentException(
                    "temporalKernel (" + temporalKernel + ") must be odd and positive");
        }
        if (frontEnd == null) {
            frontEnd = AudioFrontEnd.CONV2D; // a configuration saved before the 1-D front end
        }
    }

    /**
     * 64 mels, 2 conv layers of 32 channels (4× downsampling: 100 → 25 tokens/s), D = 256, 2
     * temporal blocks.
     */
    public static AudioEncoderConfig small() {
        return new AudioEncoderConfig(64, 32, 2, 256, 2, 3);
    }

    /**
     * A very small encoder for tests: 16 mels, 2 conv layers of 8 channels, D = 32, 1 temporal
     * block.
     */
    public static AudioEncoderConfig tiny() {
        return new AudioEncoderConfig(16, 8, 2, 32, 1, 3);
    }

    /** Returns a copy with another input mel count. */
    public AudioEncoderConfig withMels(int value) {
        return new AudioEncoderConfig(
                value, channels, convLayers, width, temporalBlocks, temporalKernel, frontEnd);
    }

    /** Returns a copy with another token width. */
    public AudioEncoderConfig withWidth(int value) {
        return new AudioEncoderConfig(
                mels, channels, convLayers, value, temporalBlocks, temporalKernel, frontEnd);
    }

    /** Returns a copy with another number of convolution layers. */
    public AudioEncoderConfig withConvLayers(int value) {
        return new AudioEncoderConfig(
                mels, channels, value, width, temporalBlocks, temporalKernel, frontEnd);
    }

    /** Returns a copy with another number of temporal blocks. */
    public AudioEncoderConfig withTemporalBlocks(int value) {
        return new AudioEncoderConfig(
                mels, channels, convLayers, width, value, temporalKernel, frontEnd);
    }

    /**
     * Returns the number of mel rows left after the convolutions: {@code ceil(M / 2^L)} with the
     * 2-D front end, 1 with the 1-D one (the mels are its channels).
     */
    public int reducedMels() {
        return frontEnd == AudioFrontEnd.CONV1D
                ? 1
                : SpectrogramEncoder.downsample(mels, convLayers);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be positive");
        }
    }
}
