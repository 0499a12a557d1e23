package dev.braid.vision.image;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk structure before libpng reads it. libpng reports a truncated file, or a
 * critical chunk that fails its checksum, by printing {@code libpng error: ...} to the process's
 * standard error itself, and OpenCV then returns an empty image; checked here, such a file is
 * refused with the reason in the exception and nothing is printed. Ancillary chunks (text, colour
 * profiles) are left to libpng, which skips a damaged one.
 *
 * <p>A PNG is the 8-byte signature, then chunks up to {@code IEND}: length (4 bytes, big-endian),
 * type (4 ASCII letters), data, CRC-32 of type and data (4 bytes).
 */
final class PngChunks {

    private static final int SIGNATURE_BYTES = 8;

    /** Length, type and CRC around each chunk's data. */
    private static final int FRAMING_BYTES = 12;

    private PngChunks() {}

    /**
     * Walks the chunks from the signature to {@code IEND}.
     *
     * @throws ImageDecodeException if the file ends before {@code IEND}, a chunk claims more bytes
     *     than are left, a chunk type is not four letters, or a critical chunk's CRC does not match
     */
    static void check(byte[] png, String source) {
        CRC32 crc = new CRC32();
        int pos = SIGNATURE_BYTES;
        while (true) {
            if (png.length - pos < FRAMING_BYTES) {
                throw new ImageDecodeException(
                        source,
                        "PNG data is truncated: the file ends after "
                                + png.length
                                + " bytes, before the IEND chunk");
            }
            long length = u32(png, pos);
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                throw new ImageDecodeException(
                        source, "PNG data is corrupt: no chunk starts at byte " + pos);
            }
            long left = png.length - pos - FRAMING_BYTES;
            if (length > left) {
                throw new ImageDecodeException(
                        source,
                        "PNG data is truncated: the "
                                + type
                                + " chunk at byte "
                                + pos
                                + " declares "
                                + length
                                + " bytes, but only "
                                + left
                                + " follow");
            }
            int end = pos + 8 + (int) length;
            boolean critical = Character.isUpperCase(type.charAt(0));
            if (critical) {
                crc.reset();
                crc.update(png, pos + 4, 4 + (int) length);
                if (crc.getValue() != u32(png, end)) {
                    throw new ImageDecodeException(
                            source,
                            "PNG data is corrupt: the "
                                    + type
                                    + " chunk at byte "
                                    + pos
                                    + " fails its CRC check");
                }
            }
            if (type.equals("IEND")) {
                return;
            }
            pos = end + 4;
        }
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24
                | (b[at + 1] & 0xff) << 16
                | (b[at + 2] & 0xff) << 8
                | b[at + 3] & 0xff;
    }
}
