package dev.braid.vision.image;

/** How an image of any shape is brought to the output height and width. */
public enum ResizeMode {
    /** Scale each axis independently to the output size; the aspect ratio is not kept. */
    STRETCH,
    /**
     * Scale so the whole image fits, keeping the aspect ratio, and pad the rest evenly on both
     * sides with the mean colour (so padding normalises to about zero).
     */
    LETTERBOX,
    /**
     * Scale so the shorter side matches the output, keeping the aspect ratio, then cut the central
     * output-sized window.
     */
    SHORTER_SIDE_CENTER_CROP
}
