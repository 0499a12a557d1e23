package dev.braid.vision.image;

/** Loads the OpenCV natives bundled in the openpnp jar, once per JVM, on first use. */
final class OpenCvNatives {

    private OpenCvNatives() {}

    /** Loads the natives if this is the first call; later calls return at once. */
    static void load() {
        Holder.touch();
    }

    private static final class Holder {
        static {
            nu.pattern.OpenCV.loadLocally();
        }

        static void touch() {}
    }
}
