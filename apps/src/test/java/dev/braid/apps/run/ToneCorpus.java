package dev.braid.apps.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * A tiny speech-corpus stand-in for tests: each "word" is a tone of its own pitch, a clip says one
 * to three of them in a row, and its labels are the words it says: a corpus in the shape {@code
 * tools/speech/make_corpus.py} writes, learnable in a few steps.
 */
final class ToneCorpus {

    private static final int RATE = 16000;
    private static final int WORDS = 6;

    private ToneCorpus() {}

    /** Writes {@code clips} clips and {@code manifest.jsonl} into {@code dir}. */
    static Path write(Path dir, int clips, long seed) throws IOException {
        Files.createDirectories(dir.resolve("clips"));
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
            TreeSet<String> said = new TreeSet<>();
            List<float[]> parts = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int w = 0; w < count; w++) {
                int word = random.nextInt(WORDS);
                said.add("\"w" + word + "\"");
                parts.add(tone(300 + 250 * word, 0.2 + 0.1 * random.nextDouble()));
                parts.add(new float[RATE / 20]); // 50 ms of silence between words
            }
            String file = "clips/c" + i + ".wav";
            wav(dir.resolve(file), parts);
            String split = i % 10 == 0 ? "val" : i % 10 == 1 ? "test" : "train";
            lines.add(
                    "{\"id\": \"c"
                            + i
                            + "\", \"audio\": \""
                            + file
                            + "\", \"label\": {\"words\": ["
                            + String.join(", ", said)
                            + "]}, \"split\": \""
                            + split
                            + "\"}");
        }
        Files.write(dir.resolve("manifest.jsonl"), lines, StandardCharsets.UTF_8);
        return dir;
    }

    private static float[] tone(double hertz, double seconds) {
        float[] x = new float[(int) (RATE * seconds)];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) (0.3 * Math.sin(2 * Math.PI * hertz * t / RATE));
        }
        return x;
    }

    private static void wav(Path file, List<float[]> parts) throws IOException {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        ByteBuffer pcm = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] part : parts) {
            for (float v : part) {
                pcm.putShort((short) Math.round(v * 32767));
            }
        }
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        try (AudioInputStream in =
                new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
