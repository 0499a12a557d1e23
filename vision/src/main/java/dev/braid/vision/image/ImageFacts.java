package dev.braid.vision.image;

/**
 * What one image file holds, as {@link ImageDecoder#facts} found by decoding it.
 *
 * @param header its format and size
 * @param storedChannels the channels the file stores: 1 gray, 2 gray and alpha, 3 colour, 4 colour
 *     and alpha (a JPEG is decoded as 3)
 * @param colour whether its pixels show colour, not only gray levels
 */
public record ImageFacts(ImageHeader header, int storedChannels, boolean colour) {}
