package dev.braid.audio.encoder;

/** How a {@link SpectrogramEncoder}'s strided convolutions read the log-mel spectrogram. */
public enum AudioFrontEnd {
    /** 3 x 3 convolutions over (mel, time), one input channel: the mels are downsampled too. */
    CONV2D,
    /**
     * Kernel-3 convolutions over time, the mels as input channels: cheaper, the speech-model way.
     */
    CONV1D
}
