package dev.braid.vision.image;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Decode, resize, augment and normalise one image into float {@code [C, H, W]}, channels in RGB
 * order (or one gray channel), rows top to bottom.
 *
 * <p>The steps, in order: {@link ImageDecoder} to 8-bit RGB; the first augmentation if it is a
 * {@link Augmentation.RandomResizedCrop}, otherwise the configured {@link ResizeMode}; the other
 * augmentations; conversion to gray if {@code channels == 1}; {@code (v / 255 - mean[c]) / std[c]}.
 * Augmentations draw only from the generator passed in, so the same seed gives the same floats.
 *
 * <p>Thread-safe: one preprocessor may serve many threads, each with its own generator.
 */
public final class ImagePreprocessor {

    private final ImagePreprocessing config;
    private final ImageDecoder decoder;
    private final ImageAugmentation augmentation;
    private final Scalar padColour;

    /**
     * A preprocessor producing images as {@code config} says.
     *
     * @param config output size, resize mode, channels and normalisation
     * @param decoder how bytes become pixels, and which images are refused
     * @param augmentation training augmentations, or {@link ImageAugmentation#none()}
     */
    public ImagePreprocessor(
            ImagePreprocessing config, ImageDecoder decoder, ImageAugmentation augmentation) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        this.padColour = meanColour(config.mean());
    }

    /**
     * The mean as an 8-bit RGB colour (one gray mean on all three channels): letterbox padding in
     * this colour normalises to about zero.
     */
    private static Scalar meanColour(List<Double> mean) {
        List<Double> rgb = mean.size() == 1 ? List.of(mean.get(0), mean.get(0), mean.get(0)) : mean;
        return new Scalar(
                Math.round(255 * rgb.get(0)),
                Math.round(255 * rgb.get(1)),
                Math.round(255 * rgb.get(2)));
    }

    /** A preprocessor with default decoding and no augmentation, for evaluation. */
    public static ImagePreprocessor of(ImagePreprocessing config) {
        return new ImagePreprocessor(
                config, new ImageDecoder(DecodeOptions.defaults()), ImageAugmentation.none());
    }

    /** The output size, channels and normalisation. */
    public ImagePreprocessing config() {
        return config;
    }

    /**
     * Preprocesses one image into a new array.
     *
     * @param source the encoded image
     * @param random the generator augmentations draw from (unused without augmentation)
     * @return {@code channels * height * width} floats, layout {@code [C, H, W]}
     * @throws ImageDecodeException if the image cannot be read
     */
    public float[] process(ImageSource source, RandomGenerator random) {
        float[] values = new float[config.valuesPerImage()];
        processInto(source, random, FloatBuffer.wrap(values), 0);
        return values;
    }

    /**
     * Preprocesses one image straight into {@code target} at {@code offset}, using absolute puts
     * only, so several threads may fill disjoint parts of one buffer.
     *
     * @param source the encoded image
     * @param random the generator augmentations draw from (unused without augmentation)
     * @param target where the {@code [C, H, W]} floats go
     * @param offset the index in {@code target} of the first float
     * @throws ImageDecodeException if the image cannot be read
     */
    public void processInto(
            ImageSource source, RandomGenerator random, FloatBuffer target, int offset) {
        Mat image = prepare(source, random);
        try {
            normaliseInto(image, target, offset);
        } finally {
            image.release();
        }
    }

    /** The 8-bit image at output size, before normalisation: RGB, or gray if one channel. */
    Mat prepare(ImageSource source, RandomGenerator random) {
        Mat decoded = decoder.decode(source);
        Mat image;
        List<Augmentation> steps = augmentation.steps();
        int first = 0;
        try {
            if (!steps.isEmpty() && steps.get(0) instanceof Augmentation.RandomResizedCrop crop) {
                image =
                        Augmenter.randomResizedCrop(
                                crop, decoded, config.height(), config.width(), random);
                first = 1;
            } else {
                image =
                        Resizer.resize(
                                decoded,
                                config.height(),
                                config.width(),
                                config.resizeMode(),
                                padColour);
            }
        } finally {
            decoded.release();
        }
        for (Augmentation step : steps.subList(first, steps.size())) {
            Augmenter.apply(step, image, random);
        }
        if (config.channels() == 1) {
            Imgproc.cvtColor(image, image, Imgproc.COLOR_RGB2GRAY);
        }
        return image;
    }

    private void normaliseInto(Mat image, FloatBuffer target, int offset) {
        int channels = config.channels();
        int plane = config.height() * config.width();
        byte[] pixels = new byte[plane * channels];
        image.get(0, 0, pixels); // (H, W, C) interleaved
        for (int c = 0; c < channels; c++) {
            float scale = (float) (1.0 / (255.0 * config.std().get(c)));
            float shift = (float) (config.mean().get(c) / config.std().get(c));
            int base = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                target.put(base + p, (pixels[p * channels + c] & 0xff) * scale - shift);
            }
        }
    }
}
