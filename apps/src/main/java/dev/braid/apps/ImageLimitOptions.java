package dev.braid.apps;

import dev.braid.vision.image.DecodeOptions;
import picocli.CommandLine.Option;

/**
 * The image limits of a command that reads image files ({@code predict}, {@code eval}); a refused
 * image names the flag that lets it in.
 */
final class ImageLimitOptions {

    private static final DecodeOptions.LimitNames FLAGS =
            new DecodeOptions.LimitNames(
                    "--image-max-pixels", "--image-max-bytes", "--image-min-side");

    @Option(
            names = "--image-min-side",
            defaultValue = "" + DecodeOptions.DEFAULT_MIN_SIDE,
            description =
                    "Refuse images narrower or shorter than this (default: ${DEFAULT-VALUE}).")
    int minSide;

    @Option(
            names = "--image-max-pixels",
            defaultValue = "" + DecodeOptions.DEFAULT_MAX_PIXELS,
            description =
                    "Refuse images whose header claims more pixels, before decoding"
                            + " (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(
            names = "--image-max-bytes",
            defaultValue = "" + DecodeOptions.DEFAULT_MAX_BYTES,
            description = "Refuse larger image files (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    /** The decoding options these flags give; a refusal names the flag. */
    DecodeOptions decoding() {
        return DecodeOptions.defaults()
                .withNames(FLAGS)
                .withMinSide(minSide)
                .withMaxPixels(maxPixels)
                .withMaxBytes(maxBytes);
    }
}
