package dev.braid.fusion.data.inspect;

import java.util.List;

/**
 * Feature settings that fit a training split (the run configuration's {@code features} fields),
 * with the reason for each.
 *
 * @param textMaxLength tokens per text, {@code [CLS]} and {@code [SEP]} included
 * @param vocabularySize the BPE vocabulary
 * @param imageSize the square side images are resized to
 * @param imageChannels 1 (gray) or 3 (colour)
 * @param audioMaxSeconds seconds read of each clip
 * @param audioMaxFrames log-mel frames kept of each clip
 * @param choices each value and why, in the order above
 */
public record FittedFeatures(
        int textMaxLength,
        int vocabularySize,
        int imageSize,
        int imageChannels,
        double audioMaxSeconds,
        int audioMaxFrames,
        List<FeatureChoice> choices) {

    /** Copies the choices. */
    public FittedFeatures {
        choices = List.copyOf(choices);
    }
}
