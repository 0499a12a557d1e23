package dev.braid.fusion.data.inspect;

import dev.braid.vision.image.ImageFacts;

/**
 * What reading one row's image or audio file found.
 *
 * @param file the file's path
 * @param sha256 its content's SHA-256, hex; null if it could not be read
 * @param image the image's facts; null for audio or an unreadable image
 * @param seconds the clip's length; 0 for an image or an unreadable clip
 * @param sampleRate the clip's sample rate; 0 for an image or an unreadable clip
 * @param error why the file could not be read or decoded; null if it could
 */
record FileFacts(
        String file,
        String sha256,
        ImageFacts image,
        double seconds,
        int sampleRate,
        String error) {

    boolean readable() {
        return error == null;
    }
}
