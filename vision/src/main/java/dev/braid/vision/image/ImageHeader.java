package dev.braid.vision.image;

import java.nio.charset.StandardCharsets;

/**
 * The format and pixel size an encoded image declares in its header, read without decoding any
 * pixels.
 *
 * <p>Reading the header first lets the decoder refuse a decompression bomb (a small file whose
 * header claims, say, 50000 x 50000 pixels) before OpenCV allocates anything. The size is the
 * stored size; a JPEG EXIF orientation may swap width and height when decoded.
 *
 * @param format the format recognised from the leading bytes
 * @param width the declared width in pixels, at least 1
 * @param height the declared height in pixels, at least 1
 */
public record ImageHeader(ImageFormat format, long width, long height) {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    /** The number of pixels the header declares. */
    public long pixels() {
        return width * height;
    }

    /**
     * Reads the header of an encoded PNG, JPEG, BMP or WebP image.
     *
     * @param bytes the encoded image
     * @param source the file path or name, for error messages
     * @return the format and declared size
     * @throws ImageDecodeException if the bytes are not one of these formats, the header is
     *     truncated, or the declared size is not positive
     */
    public static ImageHeader read(byte[] bytes, String source) {
        Reader in = new Reader(bytes, source);
        ImageHeader header;
        if (in.startsWith(0, PNG_SIGNATURE)) {
            header = readPng(in);
        } else if (in.length() >= 3 && in.u8(0) == 0xff && in.u8(1) == 0xd8 && in.u8(2) == 0xff) {
            header = readJpeg(in);
        } else if (in.startsWith(0, ascii("BM"))) {
            header = readBmp(in);
        } else if (in.startsWith(0, ascii("RIFF")) && in.startsWith(8, ascii("WEBP"))) {
            header = readWebp(in);
        } else {
            throw new ImageDecodeException(source, "not a PNG, JPEG, BMP or WebP file");
        }
        if (header.width() < 1 || header.height() < 1) {
            throw new ImageDecodeException(
                    source,
                    header.format()
                            + " header declares an invalid size "
                            + header.width()
                            + "x"
                            + header.height());
        }
        return header;
    }

    private static ImageHeader readPng(Reader in) {
        // Signature, then the IHDR chunk: length (4), type (4), width (4), height (4), big-endian.
        if (!in.startsWith(12, ascii("IHDR"))) {
            throw in.error("PNG has no IHDR chunk where the header must start");
        }
        return new ImageHeader(ImageFormat.PNG, in.u32be(16), in.u32be(20));
    }

    private static ImageHeader readJpeg(Reader in) {
        // Walk the marker segments until a start-of-frame (SOFn), which holds the size.
        int pos = 2;
        while (true) {
            if (in.u8(pos) != 0xff) {
                throw in.error("JPEG marker expected at byte " + pos);
            }
            int marker = in.u8(pos + 1);
            if (marker == 0xff) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                pos += 2; // markers without a length
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                throw in.error("JPEG has no frame header (SOF) before its image data");
            }
            if (isStartOfFrame(marker)) {
                // length (2), precision (1), height (2), width (2)
                return new ImageHeader(ImageFormat.JPEG, in.u16be(pos + 7), in.u16be(pos + 5));
            }
            pos += 2 + in.u16be(pos + 2);
        }
    }

    private static boolean isStartOfFrame(int marker) {
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        return marker >= 0xc0
                && marker <= 0xcf
                && marker != 0xc4
                && marker != 0xc8
                && marker != 0xcc;
    }

    private static ImageHeader readBmp(Reader in) {
        // File header (14 bytes), then the DIB header whose first field is its own size.
        long dibSize = in.u32le(14);
        if (dibSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
            return new ImageHeader(ImageFormat.BMP, in.u16le(18), in.u16le(20));
        }
        // BITMAPINFOHEADER and later: signed 32-bit sizes; a negative height means top-down.
        long height = Math.abs((long) (int) in.u32le(22));
        return new ImageHeader(ImageFormat.BMP, (int) in.u32le(18), height);
    }

    private static ImageHeader readWebp(Reader in) {
        // RIFF header (12 bytes), then the first chunk: fourcc (4), size (4), payload.
        if (in.startsWith(12, ascii("VP8 "))) {
            // Lossy: frame tag (3), start code 9d 01 2a (3), then 14-bit width and height.
            if (in.u8(23) != 0x9d || in.u8(24) != 0x01 || in.u8(25) != 0x2a) {
                throw in.error("WebP VP8 frame has no start code");
            }
            return new ImageHeader(ImageFormat.WEBP, in.u16le(26) & 0x3fff, in.u16le(28) & 0x3fff);
        }
        if (in.startsWith(12, ascii("VP8L"))) {
            // Lossless: signature 0x2f, then 14 bits width-1 and 14 bits height-1.
            if (in.u8(20) != 0x2f) {
                throw in.error("WebP VP8L chunk has no signature");
            }
            long bits = in.u32le(21);
            return new ImageHeader(
                    ImageFormat.WEBP, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
        }
        if (in.startsWith(12, ascii("VP8X"))) {
            // Extended: flags (4), then 24-bit canvas width-1 and height-1.
            return new ImageHeader(ImageFormat.WEBP, in.u24le(24) + 1, in.u24le(27) + 1);
        }
        throw in.error("WebP has no VP8, VP8L or VP8X chunk");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Bounds-checked little- and big-endian reads; running off the end means a truncated header.
     */
    private record Reader(byte[] bytes, String source) {

        int length() {
            return bytes.length;
        }

        boolean startsWith(int offset, byte[] prefix) {
            if (offset + prefix.length > bytes.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[offset + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        int u8(int pos) {
            if (pos >= bytes.length) {
                throw error("header is truncated (" + bytes.length + " bytes)");
            }
            return bytes[pos] & 0xff;
        }

        int u16be(int pos) {
            return (u8(pos) << 8) | u8(pos + 1);
        }

        int u16le(int pos) {
            return u8(pos) | (u8(pos + 1) << 8);
        }

        long u24le(int pos) {
            return u8(pos) | (u8(pos + 1) << 8) | ((long) u8(pos + 2) << 16);
        }

        long u32be(int pos) {
            return ((long) u16be(pos) << 16) | u16be(pos + 2);
        }

        long u32le(int pos) {
            return u16le(pos) | ((long) u16le(pos + 2) << 16);
        }

        ImageDecodeException error(String reason) {
            return new ImageDecodeException(source, reason);
        }
    }
}
