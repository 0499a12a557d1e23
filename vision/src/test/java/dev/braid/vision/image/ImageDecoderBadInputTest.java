package dev.braid.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ImageDecoderBadInputTest {

    @TempDir Path folder;

    private final ImageDecoder decoder = new ImageDecoder(DecodeOptions.defaults());

    /** Decodes {@code bytes} from a file and returns the exception, whose message must name it. */
    private ImageDecodeException failure(String fileName, byte[] bytes) throws IOException {
        Path file = Files.write(folder.resolve(fileName), bytes);
        ImageDecodeException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5),
                        () ->
                                assertThrows(
                                        ImageDecodeException.class,
                                        () -> decoder.decode(ImageSource.of(file))));
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith("Cannot decode image " + file + ": "), e.getMessage());
        return e;
    }

    private static byte[] validPng() {
        Mat image = TestImages.solid(32, 32, CvType.CV_8UC3, new Scalar(0, 0, 0));
        for (int i = 0; i < 32; i++) {
            image.submat(i, i + 1, 0, 32).setTo(new Scalar(7 * i, 3 * i, 255 - i));
        }
        return TestImages.encode(image, ".png");
    }

    @Test
    void zeroByteFile() throws IOException {
        assertEquals("file is empty (0 bytes)", failure("empty.png", new byte[0]).reason());
    }

    @Test
    void missingFile() {
        Path missing = folder.resolve("missing.png");
        ImageDecodeException e =
                assertThrows(
                        ImageDecodeException.class, () -> decoder.decode(ImageSource.of(missing)));
        assertEquals("Cannot decode image " + missing + ": file does not exist", e.getMessage());
    }

    @Test
    void directory() throws IOException {
        Path dir = Files.createDirectory(folder.resolve("photos.png"));
        ImageDecodeException e =
                assertThrows(ImageDecodeException.class, () -> decoder.decode(ImageSource.of(dir)));
        assertEquals("is a directory, not an image file", e.reason());
    }

    @Test
    void textFileNamedPng() throws IOException {
        byte[] text = "hello, this is not an image\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("not a PNG, JPEG, BMP or WebP file", failure("notes.png", text).reason());
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] png = Arrays.copyOf(validPng(), 18);
        assertEquals("header is truncated (18 bytes)", failure("short.png", png).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".bmp"})
    void truncatedPixelData(String extension) throws IOException {
        Mat image = TestImages.solid(32, 32, CvType.CV_8UC3, new Scalar(10, 20, 30));
        byte[] bytes = TestImages.encode(image, extension);
        byte[] half = Arrays.copyOf(bytes, bytes.length / 2);
        assertTrue(
                failure("half" + extension, half)
                        .reason()
                        .endsWith("data is corrupt or truncated"));
    }

    /** Refused from its chunk structure, before libpng (which would print to stderr) sees it. */
    @Test
    void truncatedPng() throws IOException {
        byte[] png = validPng();
        int idat = chunkStart(png, "IDAT");
        long declared = chunkLength(png, idat);
        byte[] cut = Arrays.copyOf(png, idat + 20);
        assertEquals(
                "PNG data is truncated: the IDAT chunk at byte "
                        + idat
                        + " declares "
                        + declared
                        + " bytes, but only 8 follow",
                failure("cut.png", cut).reason());
        byte[] noEnd = Arrays.copyOf(png, chunkStart(png, "IEND"));
        assertEquals(
                "PNG data is truncated: the file ends after "
                        + noEnd.length
                        + " bytes, before the IEND chunk",
                failure("no-end.png", noEnd).reason());
    }

    @Test
    void corruptPixelData() throws IOException {
        byte[] png = validPng();
        int idat = chunkStart(png, "IDAT");
        for (int i = idat + 10; i < idat + 8 + chunkLength(png, idat); i++) {
            png[i] ^= 0x5a; // garble the compressed data; the chunk checksum no longer matches
        }
        assertEquals(
                "PNG data is corrupt: the IDAT chunk at byte " + idat + " fails its CRC check",
                failure("garbled.png", png).reason());
    }

    /** Where the first chunk of {@code type} starts (its length field), found by walking them. */
    private static int chunkStart(byte[] png, String type) {
        int pos = 8;
        while (!new String(png, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII)
                .equals(type)) {
            pos += 12 + (int) chunkLength(png, pos);
        }
        return pos;
    }

    private static long chunkLength(byte[] png, int chunk) {
        return java.nio.ByteBuffer.wrap(png, chunk, 4).getInt() & 0xffffffffL;
    }

    @Test
    void aRefusalNamesTheSettingTheCallerNamed() throws IOException {
        byte[] onePixel = TestImages.png(1, 1, new Scalar(0, 0, 255));
        ImageDecoder named =
                new ImageDecoder(
                        DecodeOptions.defaults()
                                .withNames(
                                        new DecodeOptions.LimitNames(
                                                "--max-pixels", "--max-bytes", "--min-side")));
        ImageDecodeException e =
                assertThrows(
                        ImageDecodeException.class,
                        () -> named.probe(ImageSource.of("pixel.png", onePixel)));
        assertEquals(
                "image is 1x1 pixels, smaller than the minimum side of 8"
                        + " (lower --min-side to accept it)",
                e.reason());
    }

    @Test
    void onePixelImageIsRefusedByDefaultAndAcceptedOnRequest() throws IOException {
        byte[] onePixel = TestImages.png(1, 1, new Scalar(0, 0, 255));
        assertEquals(
                "image is 1x1 pixels, smaller than the minimum side of 8"
                        + " (lower DecodeOptions.minSide to accept it)",
                failure("pixel.png", onePixel).reason());
        // Accepted, it is simply scaled up like any other image.
        ImagePreprocessing stretch =
                ImagePreprocessing.imagenet(4).withResizeMode(ResizeMode.STRETCH);
        ImagePreprocessor lenient =
                new ImagePreprocessor(
                        stretch,
                        new ImageDecoder(DecodeOptions.defaults().withMinSide(1)),
                        ImageAugmentation.none());
        Mat upscaled = lenient.prepare(ImageSource.of("pixel", onePixel), new SplittableRandom(0));
        assertEquals(4, upscaled.rows());
        assertEquals(4, upscaled.cols());
        assertArrayEquals(new int[] {255, 0, 0}, TestImages.pixel(upscaled, 3, 3));
    }

    /** A tiny file whose header claims 50000 x 50000 pixels: refused before any decoding. */
    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "bmp", "webp"})
    void decompressionBomb(String format) throws IOException {
        byte[] bomb = bombHeader(format);
        ImageDecodeException e = failure("bomb." + format, bomb);
        assertTrue(
                e.reason()
                        .startsWith(
                                "header claims 50000x50000 pixels (2500.0 megapixels), above the"
                                        + " limit of 40000000 pixels"),
                e.reason());
    }

    /** A real small image of the format with its header's size fields set to 50000 x 50000. */
    private static byte[] bombHeader(String format) {
        Mat image = TestImages.solid(16, 16, CvType.CV_8UC3, new Scalar(1, 2, 3));
        switch (format) {
            case "png" -> {
                byte[] b = TestImages.encode(image, ".png");
                putBigEndian(b, 16, 50000, 4); // IHDR width
                putBigEndian(b, 20, 50000, 4); // IHDR height
                return b;
            }
            case "jpg" -> {
                byte[] b = TestImages.encode(image, ".jpg");
                int sof = indexOfMarker(b, 0xc0);
                putBigEndian(b, sof + 5, 50000, 2); // height
                putBigEndian(b, sof + 7, 50000, 2); // width
                return b;
            }
            case "bmp" -> {
                byte[] b = TestImages.encode(image, ".bmp");
                putLittleEndian(b, 18, 50000, 4); // BITMAPINFOHEADER width
                putLittleEndian(b, 22, 50000, 4); // height
                return b;
            }
            default -> {
                // VP8X, the extended WebP header (written for images with alpha), has 24-bit
                // sizes; plain VP8 and VP8L cannot express 50000 (14-bit fields).
                Mat withAlpha = TestImages.solid(16, 16, CvType.CV_8UC4, new Scalar(1, 2, 3, 4));
                byte[] b =
                        TestImages.encode(withAlpha, ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 80);
                putLittleEndian(b, 24, 50000 - 1, 3); // canvas width - 1
                putLittleEndian(b, 27, 50000 - 1, 3); // canvas height - 1
                return b;
            }
        }
    }

    private static int indexOfMarker(byte[] b, int marker) {
        for (int i = 2; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == marker) {
                return i;
            }
        }
        throw new IllegalStateException("no marker " + Integer.toHexString(marker));
    }

    private static void putBigEndian(byte[] b, int offset, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[offset + i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
    }

    private static void putLittleEndian(byte[] b, int offset, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    @Test
    void bytesSourceIsNamedByTheCaller() {
        ImageDecodeException e =
                assertThrows(
                        ImageDecodeException.class,
                        () -> decoder.decode(ImageSource.of("upload #3", new byte[] {1, 2, 3})));
        assertEquals(
                "Cannot decode image upload #3: not a PNG, JPEG, BMP or WebP file", e.getMessage());
    }
}
