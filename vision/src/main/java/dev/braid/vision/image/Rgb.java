package dev.braid.vision.image;

/**
 * An 8-bit RGB colour, e.g. the background that transparent pixels are composited onto.
 *
 * @param red red, 0 to 255
 * @param green green, 0 to 255
 * @param blue blue, 0 to 255
 */
public record Rgb(int red, int green, int blue) {

    /** White, the usual background for transparent images. */
    public static final Rgb WHITE = new Rgb(255, 255, 255);

    /** Black. */
    public static final Rgb BLACK = new Rgb(0, 0, 0);

    /** Checks every channel is within 0 to 255. */
    public Rgb {
        check("red", red);
        check("green", green);
        check("blue", blue);
    }

    private static void check(String field, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(field + " (" + value + ") must be within 0..255");
        }
    }
}
