package dev.braid.fusion.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a small tri-modal dataset in Braid's manifest format in which no modality alone is enough:
 * each sample carries one bit per modality and its label is {@code 2*text + (image XOR audio)},
 * four classes.
 *
 * <ul>
 *   <li>text bit: the message mentions "red" or "blue" among random filler words;
 *   <li>image bit: a bright square in the top-left or bottom-right of a noisy 16×16 gray image;
 *   <li>audio bit: a 0.3 s tone near 400 Hz or near 2000 Hz, with noise, 16 kHz.
 * </ul>
 *
 * A text-only model can reach 50% accuracy, image-only or audio-only 25%; only a model that
 * combines all three can reach 100%.
 */
public final class SyntheticTriModal {

    private static final String[] FILLER = {
        "please", "check", "my", "order", "today", "the", "item", "thanks"
    };

    private SyntheticTriModal() {}

    /**
     * Writes {@code train} training, {@code val} validation and {@code test} test samples into
     * {@code dir}.
     */
    public static void write(Path dir, int train, int val, int test, long seed) throws IOException {
        write(dir, train, val, test, seed, false);
    }

    /**
     * As {@link #write(Path, int, int, int, long)}; with {@code imageFollowsText} the image bit
     * equals the text bit, so text and image share content that an alignment loss can find.
     */
    public static void write(
            Path dir, int train, int val, int test, long seed, boolean imageFollowsText)
            throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("audio"));
        Random random = new Random(seed);
        try (Writer manifest =
                Files.newBufferedWriter(dir.resolve("manifest.jsonl"), StandardCharsets.UTF_8)) {
            int total = train + val + test;
            for (int i = 0; i < total; i++) {
                String split = i < train ? "train" : i < train + val ? "val" : "test";
                int textBit = random.nextInt(2);
                int imageBit = imageFollowsText ? textBit : random.nextInt(2);
                int audioBit = random.nextInt(2);
                int label = 2 * textBit + (imageBit ^ audioBit);
                String id = "s" + i;
                Files.write(dir.resolve("images/" + id + ".png"), image(imageBit, random));
                Files.write(dir.resolve("audio/" + id + ".wav"), wav(tone(audioBit, random)));
                manifest.write(
                        String.format(
                                "{\"id\": \"%s\", \"text\": \"%s\", \"image\": \"images/%s.png\", \"audio\": \"audio/%s.wav\", \"label\": \"c%d\", \"split\": \"%s\"}%n",
                                id, text(textBit, random), id, id, label, split));
            }
        }
    }

    static String text(int bit, Random random) {
        StringBuilder s = new StringBuilder();
        int words = 3 + random.nextInt(4);
        int at = random.nextInt(words);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                s.append(' ');
            }
            s.append(w == at ? (bit == 1 ? "red" : "blue") : FILLER[random.nextInt(FILLER.length)]);
        }
        return s.toString();
    }

    static byte[] image(int bit, Random random) throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = 40 + random.nextInt(40);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        int size = 4 + random.nextInt(3);
        int x = bit == 1 ? random.nextInt(3) : 16 - size - random.nextInt(3);
        int y = bit == 1 ? random.nextInt(3) : 16 - size - random.nextInt(3);
        g.fillRect(x, y, size, size);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static short[] tone(int bit, Random random) {
        int rate = 16000;
        int n = (int) (rate * (0.25 + 0.1 * random.nextDouble()));
        double frequency = (bit == 1 ? 2000 : 400) * (0.9 + 0.2 * random.nextDouble());
        short[] samples = new short[n];
        for (int i = 0; i < n; i++) {
            double v =
                    0.5 * Math.sin(2 * Math.PI * frequency * i / rate)
                            + 0.05 * random.nextGaussian();
            samples[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
        }
        return samples;
    }

    /** A 16-bit mono 16 kHz WAV file. */
    public static byte[] wav(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples.length);
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1);
        b.putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }
}
