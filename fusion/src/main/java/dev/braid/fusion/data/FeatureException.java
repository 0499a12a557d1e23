package dev.braid.fusion.data;

import dev.braid.fusion.Modality;

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
                        + cause.getMessage(),
                cause);
    }
}
