package dev.braid.vision.image;

import java.util.Objects;

/**
 * How encoded images are turned into pixels, and which images are refused.
 *
 * @param background the colour transparent pixels are composited onto
 * @param maxPixels the largest width x height accepted; checked from the header before decoding, so
 *     a decompression bomb costs no memory
 * @param maxBytes the largest encoded size accepted
 * @param minSide the smallest width or height accepted; smaller images (such as 1 x 1 tracking
 *     pixels) carry no content worth learning from and are refused
 * @param names what a refusal calls each limit: the setting the user who hit it can change
 */
public record DecodeOptions(
        Rgb background, long maxPixels, long maxBytes, int minSide, LimitNames names) {

    /** The default {@link #maxPixels()}: 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /** The default {@link #maxBytes()}: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    /** The default {@link #minSide()}: 8 pixels. */
    public static final int DEFAULT_MIN_SIDE = 8;

    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * What an error message calls each limit, so that it names a setting the reader can reach: a
     * Java program changes the options ({@link #JAVA}), a command-line user a flag or a
     * configuration field, a server's operator a server setting.
     *
     * @param maxPixels the name of the setting behind {@link DecodeOptions#maxPixels()}
     * @param maxBytes the name of the setting behind {@link DecodeOptions#maxBytes()}
     * @param minSide the name of the setting behind {@link DecodeOptions#minSide()}
     */
    public record LimitNames(String maxPixels, String maxBytes, String minSide) {

        /** The options themselves: {@code DecodeOptions.maxPixels} and so on. */
        public static final LimitNames JAVA =
                new LimitNames(
                        "DecodeOptions.maxPixels",
                        "DecodeOptions.maxBytes",
                        "DecodeOptions.minSide");

        /** Checks that every name is given. */
        public LimitNames {
            Objects.requireNonNull(maxPixels, "maxPixels");
            Objects.requireNonNull(maxBytes, "maxBytes");
            Objects.requireNonNull(minSide, "minSide");
        }
    }

    /** Checks every limit is positive. */
    public DecodeOptions {
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(names, "names");
        if (maxPixels < 1) {
            throw new IllegalArgumentException(
                    names.maxPixels() + " (" + maxPixels + ") must be positive");
        }
        if (maxBytes < 1 || maxBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException(
                    names.maxBytes()
                            + " ("
                            + maxBytes
                            + ") must be within 1.."
                            + MAX_ARRAY_BYTES
                            + " (the file is read into one Java array)");
        }
        if (minSide < 1) {
            throw new IllegalArgumentException(
                    names.minSide() + " (" + minSide + ") must be positive");
        }
    }

    /** White background, at most 40 megapixels and 64 MiB, at least 8 pixels a side. */
    public static DecodeOptions defaults() {
        return new DecodeOptions(
                Rgb.WHITE,
                DEFAULT_MAX_PIXELS,
                DEFAULT_MAX_BYTES,
                DEFAULT_MIN_SIDE,
                LimitNames.JAVA);
    }

    /** A copy with another background colour. */
    public DecodeOptions withBackground(Rgb colour) {
        return new DecodeOptions(colour, maxPixels, maxBytes, minSide, names);
    }

    /** A copy with another pixel limit. */
    public DecodeOptions withMaxPixels(long limit) {
        return new DecodeOptions(background, limit, maxBytes, minSide, names);
    }

    /** A copy with another limit on the encoded size. */
    public DecodeOptions withMaxBytes(long limit) {
        return new DecodeOptions(background, maxPixels, limit, minSide, names);
    }

    /** A copy with another minimum side. */
    public DecodeOptions withMinSide(int side) {
        return new DecodeOptions(background, maxPixels, maxBytes, side, names);
    }

    /** A copy whose refusals name these settings. */
    public DecodeOptions withNames(LimitNames settings) {
        return new DecodeOptions(background, maxPixels, maxBytes, minSide, settings);
    }
}
