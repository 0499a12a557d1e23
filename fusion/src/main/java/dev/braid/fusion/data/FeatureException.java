package dev.braid.fusion.data;

import dev.braid.audio.signal.AudioDecodeException;
import dev.braid.fusion.Modality;
import dev.braid.vision.image.ImageDecodeException;

/**
 * One sample's input could not be turned into features. The message names the manifest line, the
 * modality and the file: {@code /data/set/manifest.jsonl:7: IMAGE /data/set/images/x.png: reason}.
 */
public final class FeatureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param entry the row whose input failed
     * @param modality the input that failed
     * @param cause why
     */
    public FeatureException(ManifestEntry entry, Modality modality, Throwable cause) {
        super(
                entry.location()
                        + ": "
                        + modality
                        + " "
                        + (modality == Modality.TEXT
                                ? "of id '" + entry.id() + "'"
                                : entry.inputs().get(modality))
                        + ": "
                        + reason(cause),
                cause);
    }

    /** The cause's message, without the file name a decoder's message repeats. */
    private static String reason(Throwable cause) {
        if (cause instanceof ImageDecodeException image) {
            return image.reason();
        }
        if (cause instanceof AudioDecodeException audio) {
            return audio.reason();
        }
        return cause.getMessage();
    }
}
