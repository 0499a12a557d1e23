package dev.braid.vision.encoder;

/** What each block of a {@link CnnImageEncoder} stage is. */
public enum StageBlock {
    /**
     * A {@link ResidualBlock} (two 3 x 3 convolutions and a shortcut); the first stage keeps the
     * resolution, every later one starts by halving it.
     */
    RESIDUAL,
    /**
     * A {@link PlainConvBlock} (one 3 x 3 convolution, BatchNorm, activation); every stage, the
     * first too, starts by halving the resolution: a plain stack of strided convolutions.
     */
    PLAIN
}
