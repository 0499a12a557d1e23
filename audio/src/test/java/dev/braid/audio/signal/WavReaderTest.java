package dev.braid.audio.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.braid.audio.TestAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WavReaderTest {

    private static double[] ramp(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.9 * Math.sin(0.37 * i) * (i % 7 - 3) / 3.0;
        }
        return x;
    }

    /**
     * PCM code c of b bits decodes to {@code c / 2^(b-1)} (the usual full-scale convention; the
     * writer stores {@code round(v × (2^(b-1) − 1))}); float samples decode exactly.
     */
    private static double expected(int format, int bits, double v) {
        if (format == TestAudio.FLOAT) {
            return bits == 32 ? (float) v : v;
        }
        double full = Math.pow(2, bits - 1);
        return Math.round(v * (full - 1)) / full;
    }

    @ParameterizedTest(name = "format {0}, {1} bit, extensible {2}")
    @CsvSource({
        "1, 8, false",
        "1, 16, false",
        "1, 24, false",
        "1, 32, false",
        "3, 32, false",
        "3, 64, false",
        "1, 16, true",
        "3, 32, true",
    })
    void decodesEveryEncodingToTheWrittenSamples(int format, int bits, boolean extensible)
            throws IOException {
        double[] x = ramp(500);
        byte[] wav = TestAudio.wav(format, bits, 22_050, new double[][] {x}, extensible, true);

        Waveform w = WavReader.read(new java.io.ByteArrayInputStream(wav), "mem", 30);

        assertEquals(22_050, w.sampleRate());
        assertEquals(x.length, w.length());
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected(format, bits, x[i]), w.samples()[i], 1e-7, "sample " + i);
        }
    }

    @Test
    void stereoIsAveragedToMono() throws IOException {
        double[] left = ramp(300);
        double[] right = new double[300];
        for (int i = 0; i < right.length; i++) {
            right[i] = -0.25 + 0.001 * i;
        }
        byte[] wav =
                TestAudio.wav(
                        TestAudio.FLOAT, 32, 8_000, new double[][] {left, right}, false, false);

        Waveform w = WavReader.read(new java.io.ByteArrayInputStream(wav), "stereo", 30);

        assertEquals(300, w.length());
        for (int i = 0; i < 300; i++) {
            assertEquals((left[i] + right[i]) / 2, w.samples()[i], 1e-6);
        }
    }

    @Test
    void pathAndBytesGiveTheSameWaveform(@TempDir Path dir) throws IOException {
        byte[] wav =
                TestAudio.wav(TestAudio.PCM, 24, 16_000, new double[][] {ramp(800)}, false, false);
        Path file = dir.resolve("clip.wav");
        Files.write(file, wav);
        AudioLoader loader = new AudioLoader(AudioLoadConfig.defaults());

        Waveform fromPath = loader.load(file);
        Waveform fromBytes = loader.load(wav, "clip");

        assertArrayEquals(fromBytes.samples(), fromPath.samples());
        assertEquals(16_000, fromPath.sampleRate());
    }

    @Test
    void capsTheDurationRead() throws IOException {
        float[] x = TestAudio.sine(440, 8_000, 8_000 * 3, 0.5);
        byte[] wav = TestAudio.wav16(x, 8_000);

        Waveform w = WavReader.read(new java.io.ByteArrayInputStream(wav), "3s", 1.25);

        assertEquals(10_000, w.length());
    }
}
