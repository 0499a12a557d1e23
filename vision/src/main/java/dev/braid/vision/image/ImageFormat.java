package dev.braid.vision.image;

/** The encoded image formats Braid reads, recognised by their leading bytes, not the file name. */
public enum ImageFormat {
    PNG,
    JPEG,
    BMP,
    WEBP
}
