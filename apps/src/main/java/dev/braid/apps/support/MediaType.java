package dev.braid.apps.support;

/** The content type of a stored photo, from its first bytes (what the decoder accepted). */
final class MediaType {

    private MediaType() {}

    static String ofImage(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (starts(b, 0xFF, 0xD8)) {
            return "image/jpeg";
        }
        if (starts(b, 'B', 'M')) {
            return "image/bmp";
        }
        if (b.length > 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E') {
            return "image/webp";
        }
        return "application/octet-stream";
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
