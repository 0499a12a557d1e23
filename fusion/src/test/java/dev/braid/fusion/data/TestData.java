package dev.braid.fusion.data;

import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.signal.AudioLoadConfig;
import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.image.ImagePreprocessing;
import dev.braid.vision.image.ResizeMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** Tiny datasets written on the spot: manifests, solid-colour PNGs, WAVs, a character tokenizer. */
public final class TestData {

    private TestData() {}

    /**
     * 8 tokens; 4 x 4 RGB stretched, mean 0 std 1 (pixel = value / 255); 8 kHz audio, 4 mels, nFft
     * 200, hop 80 (a clip of n samples has 1 + n / 80 frames), at most 20 frames.
     */
    static FeatureSettings settings() {
        return new FeatureSettings(
                8,
                new ImagePreprocessing(
                        4,
                        4,
                        ResizeMode.STRETCH,
                        3,
                        List.of(0.0, 0.0, 0.0),
                        List.of(1.0, 1.0, 1.0)),
                new AudioLoadConfig(8000, 1.0),
                LogMelConfig.builder().sampleRate(8000).nMels(4).build(),
                20);
    }

    /** Writes the manifest lines (joined by newlines) into {@code dir}. */
    public static Path manifest(Path dir, String... lines) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(Manifest.FILE_NAME),
                String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
        return dir;
    }

    /** Writes an 8 x 8 PNG of one RGB colour to {@code dir/relative}. */
    public static void png(Path dir, String relative, int r, int g, int b) throws IOException {
        nu.pattern.OpenCV.loadLocally();
        Mat image = new Mat(8, 8, CvType.CV_8UC3, new Scalar(b, g, r)); // OpenCV is BGR
        MatOfByte out = new MatOfByte();
        if (!Imgcodecs.imencode(".png", image, out)) {
            throw new IOException("cannot encode PNG");
        }
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toArray());
        image.release();
        out.release();
    }

    /** Writes a {@code width x height} PNG: one gray level, or one RGB colour. */
    public static void png(Path dir, String relative, int width, int height, boolean gray)
            throws IOException {
        nu.pattern.OpenCV.loadLocally();
        Mat image =
                gray
                        ? new Mat(height, width, CvType.CV_8UC1, new Scalar(128))
                        : new Mat(height, width, CvType.CV_8UC3, new Scalar(30, 90, 200));
        MatOfByte out = new MatOfByte();
        if (!Imgcodecs.imencode(".png", image, out)) {
            throw new IOException("cannot encode PNG");
        }
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toArray());
        image.release();
        out.release();
    }

    /** Writes a 16-bit mono WAV at 8 kHz of {@code samples} silent samples. */
    public static void silentWav(Path dir, String relative, int samples) throws IOException {
        wav(dir, relative, new short[samples], 8000);
    }

    /** Writes a 16-bit mono PCM WAV. */
    public static void wav(Path dir, String relative, short[] pcm, int rate) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(44 + 2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * pcm.length);
        buf.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        buf.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
        buf.putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2);
        buf.putShort((short) 2).putShort((short) 16);
        buf.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * pcm.length);
        for (short s : pcm) {
            buf.putShort(s);
        }
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, buf.array());
    }

    /** One token per character: id = 10 + (char % 90); special tokens are the standard 0..4. */
    static final class CharTokenizer implements Tokenizer {
        @Override
        public int[] encode(String text, int maxTokens) {
            int n = Math.min(text.length(), maxTokens);
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = 10 + text.charAt(i) % 90;
            }
            return ids;
        }

        @Override
        public String decode(int[] ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int vocabularySize() {
            return 100;
        }

        @Override
        public SpecialTokens specialTokens() {
            return SpecialTokens.standard();
        }

        @Override
        public void save(Path file) {
            throw new UnsupportedOperationException();
        }
    }

    /** An extractor with {@link #settings()}, the char tokenizer, no augmentation, no cache. */
    static FeatureExtractor extractor() {
        return FeatureExtractor.of(new CharTokenizer(), settings());
    }
}
