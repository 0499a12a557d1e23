package dev.braid.vision.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Turns encoded PNG, JPEG, BMP or WebP bytes into an 8-bit RGB image.
 *
 * <ul>
 *   <li>The header is read first ({@link ImageHeader}); images above {@link
 *       DecodeOptions#maxPixels()} or below {@link DecodeOptions#minSide()} are refused before any
 *       pixel is decoded.
 *   <li>Grayscale is replicated to three channels; RGBA is composited onto {@link
 *       DecodeOptions#background()}; 16-bit samples are scaled to 8 bits (v / 257, rounded).
 *   <li>JPEG EXIF orientation is honoured (OpenCV applies it for {@code IMREAD_COLOR}); other
 *       formats are taken as stored.
 * </ul>
 *
 * <p>Pixels are reached through {@link ImagePreprocessor}: the decoding method itself is
 * package-private, so no OpenCV type leaves this package. {@link #probe} is public.
 *
 * <p>Thread-safe: one decoder may serve many threads.
 */
public final class ImageDecoder {

    private final DecodeOptions options;

    /** A decoder applying {@code options}. */
    public ImageDecoder(DecodeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        OpenCvNatives.load();
    }

    /** The options this decoder applies. */
    public DecodeOptions options() {
        return options;
    }

    /**
     * Reads only the header of an image and checks it against the limits.
     *
     * @throws ImageDecodeException if the source cannot be read, is not a supported image, or is
     *     outside the limits
     */
    public ImageHeader probe(ImageSource source) {
        return checkedHeader(source.readBytes(options), source.name());
    }

    /**
     * Decodes an image to 8-bit RGB, {@code CV_8UC3}, rows top to bottom. The caller owns the
     * returned {@code Mat} and should release it.
     *
     * @throws ImageDecodeException if the image cannot be read, is corrupt or truncated, or is
     *     outside the limits
     */
    Mat decode(ImageSource source) {
        Mat decoded = decodeAsStored(source);
        try {
            return toRgb8(decoded, source.name());
        } finally {
            decoded.release();
        }
    }

    /**
     * Decodes an image to learn what it holds: its header, the channels it stores (1 gray, 2 gray
     * with alpha, 3 colour, 4 colour with alpha) and whether its pixels, as RGB, show colour: the
     * mean difference between neighbouring channels is above one level in 255, so a gray scan saved
     * as RGB, or with JPEG's faint chroma noise, counts as gray.
     *
     * @throws ImageDecodeException as {@link #decode} does
     */
    public ImageFacts facts(ImageSource source) {
        byte[] bytes = source.readBytes(options);
        ImageHeader header = checkedHeader(bytes, source.name());
        Mat decoded = decodeAsStored(ImageSource.of(source.name(), bytes));
        Mat rgb = null;
        try {
            rgb = toRgb8(decoded, source.name());
            return new ImageFacts(header, decoded.channels(), meanChannelDifference(rgb) > 1.0);
        } finally {
            decoded.release();
            if (rgb != null) {
                rgb.release();
            }
        }
    }

    /** The mean over pixels of |R - G| + |G - B|, in 8-bit levels. */
    private static double meanChannelDifference(Mat rgb) {
        List<Mat> channels = new ArrayList<>();
        Core.split(rgb, channels);
        Mat diff = new Mat();
        try {
            Core.absdiff(channels.get(0), channels.get(1), diff);
            double rg = Core.mean(diff).val[0];
            Core.absdiff(channels.get(1), channels.get(2), diff);
            return rg + Core.mean(diff).val[0];
        } finally {
            diff.release();
            channels.forEach(Mat::release);
        }
    }

    /** The image as stored: its own channels and sample depth. The caller releases it. */
    private Mat decodeAsStored(ImageSource source) {
        byte[] bytes = source.readBytes(options);
        ImageHeader header = checkedHeader(bytes, source.name());
        if (header.format() == ImageFormat.PNG) {
            PngChunks.check(bytes, source.name());
        }
        // IMREAD_COLOR applies EXIF orientation; UNCHANGED keeps alpha and 16-bit samples.
        int flags =
                header.format() == ImageFormat.JPEG
                        ? Imgcodecs.IMREAD_COLOR
                        : Imgcodecs.IMREAD_UNCHANGED;
        MatOfByte encoded = new MatOfByte(bytes);
        Mat decoded;
        try {
            decoded = Imgcodecs.imdecode(encoded, flags);
        } catch (RuntimeException e) {
            throw new ImageDecodeException(
                    source.name(), header.format() + " data cannot be decoded (" + e + ")", e);
        } finally {
            encoded.release();
        }
        if (decoded.empty()) {
            throw new ImageDecodeException(
                    source.name(), header.format() + " data is corrupt or truncated");
        }
        return decoded;
    }

    private ImageHeader checkedHeader(byte[] bytes, String name) {
        ImageHeader header = ImageHeader.read(bytes, name);
        if (header.pixels() > options.maxPixels()) {
            throw new ImageDecodeException(
                    name,
                    String.format(
                            "header claims %dx%d pixels (%.1f megapixels), above the limit of %d"
                                    + " pixels (raise %s to accept it)",
                            header.width(),
                            header.height(),
                            header.pixels() / 1e6,
                            options.maxPixels(),
                            options.names().maxPixels()));
        }
        if (Math.min(header.width(), header.height()) < options.minSide()) {
            throw new ImageDecodeException(
                    name,
                    "image is "
                            + header.width()
                            + "x"
                            + header.height()
                            + " pixels, smaller than the minimum side of "
                            + options.minSide()
                            + " (lower "
                            + options.names().minSide()
                            + " to accept it)");
        }
        return header;
    }

    private Mat toRgb8(Mat decoded, String name) {
        Mat eightBit = new Mat();
        switch (decoded.depth()) {
            case CvType.CV_8U -> decoded.copyTo(eightBit);
            case CvType.CV_16U -> decoded.convertTo(eightBit, CvType.CV_8U, 1.0 / 257.0);
            case CvType.CV_32F -> decoded.convertTo(eightBit, CvType.CV_8U, 255.0);
            default ->
                    throw new ImageDecodeException(
                            name, "unsupported sample type " + CvType.typeToString(decoded.type()));
        }
        try {
            Mat rgb = new Mat();
            switch (eightBit.channels()) {
                case 1 -> Imgproc.cvtColor(eightBit, rgb, Imgproc.COLOR_GRAY2RGB);
                case 3 -> Imgproc.cvtColor(eightBit, rgb, Imgproc.COLOR_BGR2RGB);
                case 4 -> compositeBgraOnto(eightBit, rgb);
                default ->
                        throw new ImageDecodeException(
                                name, "unsupported channel count " + eightBit.channels());
            }
            return rgb;
        } finally {
            eightBit.release();
        }
    }

    /** rgb = (alpha * colour + (255 - alpha) * background) / 255, rounded, per channel. */
    private void compositeBgraOnto(Mat bgra, Mat rgb) {
        int pixels = bgra.rows() * bgra.cols();
        byte[] in = new byte[pixels * 4];
        bgra.get(0, 0, in);
        byte[] out = new byte[pixels * 3];
        Rgb bg = options.background();
        for (int p = 0; p < pixels; p++) {
            int alpha = in[4 * p + 3] & 0xff;
            int keep = 255 - alpha;
            out[3 * p] = (byte) ((alpha * (in[4 * p + 2] & 0xff) + keep * bg.red() + 127) / 255);
            out[3 * p + 1] =
                    (byte) ((alpha * (in[4 * p + 1] & 0xff) + keep * bg.green() + 127) / 255);
            out[3 * p + 2] = (byte) ((alpha * (in[4 * p] & 0xff) + keep * bg.blue() + 127) / 255);
        }
        rgb.create(bgra.rows(), bgra.cols(), CvType.CV_8UC3);
        rgb.put(0, 0, out);
    }
}
