package dev.braid.fusion.data;

import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.signal.AudioLoadConfig;
import dev.braid.vision.image.ImagePreprocessing;
import java.util.Objects;

/**
 * How a manifest row becomes features: the settings of every modality. Part of the {@link
 * FeatureCache} key, so changing any of them recomputes the cached features.
 *
 * @param textMaxLength the longest token sequence kept, {@code [CLS]} and {@code [SEP]} included
 *     (at least 2)
 * @param image image size, resize, channels and normalisation
 * @param audioLoad target sample rate and the seconds read from each file
 * @param logMel the log-mel spectrogram; its sample rate must equal {@code audioLoad}'s
 * @param audioMaxFrames clips are cropped to this many frames (at least 1)
 */
public record FeatureSettings(
        int textMaxLength,
        ImagePreprocessing image,
        AudioLoadConfig audioLoad,
        LogMelConfig logMel,
        int audioMaxFrames) {

    /** Checks every field; messages name the field and the value found. */
    public FeatureSettings {
        if (textMaxLength < 2) {
            throw new IllegalArgumentException(
                    "textMaxLength ("
                            + textMaxLength
                            + ") must be at least 2, for [CLS] and [SEP]");
        }
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(audioLoad, "audioLoad");
        Objects.requireNonNull(logMel, "logMel");
        if (audioLoad.targetSampleRate() != logMel.sampleRate()) {
            throw new IllegalArgumentException(
                    "audioLoad.targetSampleRate ("
                            + audioLoad.targetSampleRate()
                            + ") must equal logMel.sampleRate ("
                            + logMel.sampleRate()
                            + ")");
        }
        if (audioMaxFrames < 1) {
            throw new IllegalArgumentException(
                    "audioMaxFrames (" + audioMaxFrames + ") must be positive");
        }
    }

    /**
     * The settings a run configuration starts from (Braid's one set of feature defaults): 32
     * tokens; 28 x 28 gray images; 16 kHz audio, at most 2.5 s read, 64 log-mels, at most 250
     * frames.
     */
    public static FeatureSettings defaults() {
        return new FeatureSettings(
                32,
                ImagePreprocessing.grayscale(28),
                AudioLoadConfig.defaults().withMaxSeconds(2.5),
                LogMelConfig.defaults(),
                250);
    }
}
