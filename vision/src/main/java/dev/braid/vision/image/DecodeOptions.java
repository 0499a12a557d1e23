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
 */
public record DecodeOptions(Rgb background, long maxPixels, long maxBytes, int minSide) {

    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /** Checks every limit is positive. */
    public DecodeOptions {
        Objects.requireNonNull(background, "background");
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels (" + maxPixels + ") must be positive");
        }
        if (maxBytes < 1 || maxBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException(
                    "maxBytes ("
                            + maxBytes
                            + ") must be within 1.."
                            + MAX_ARRAY_BYTES
                            + " (the file is read into one Java array)");
        }
        if (minSide < 1) {
            throw new IllegalArgumentException("minSide (" + minSide + ") must be positive");
        }
    }

    /** White background, at most 40 megapixels and 64 MiB, at least 8 pixels a side. */
    public static DecodeOptions defaults() {
        return new DecodeOptions(Rgb.WHITE, 40_000_000L, 64L << 20, 8);
    }

    /** A copy with another background colour. */
    public DecodeOptions withBackground(Rgb colour) {
        return new DecodeOptions(colour, maxPixels, maxBytes, minSide);
    }

    /** A copy with another pixel limit. */
    public DecodeOptions withMaxPixels(long limit) {
        return new DecodeOptions(background, limit, maxBytes, minSide);
    }

    /** A copy with another minimum side. */
    public DecodeOptions withMinSide(int side) {
        return new DecodeOptions(background, maxPixels, maxBytes, side);
    }
}
