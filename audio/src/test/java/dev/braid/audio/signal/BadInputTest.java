package dev.braid.audio.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.audio.TestAudio;
import dev.braid.audio.features.FeatureNormalization;
import dev.braid.audio.features.Features;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.features.LogMelExtractor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives a clear exception or a documented, bounded result. */
class BadInputTest {

    private final AudioLoader loader = new AudioLoader(AudioLoadConfig.defaults());

    private AudioDecodeException rejects(byte[] bytes, String name) {
        return assertThrows(AudioDecodeException.class, () -> loader.load(bytes, name));
    }

    private static void assertContains(String expected, Exception e) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void mp3RenamedToWavNamesThePathAndTheMagic(@TempDir Path dir) throws IOException {
        Path mp3 = dir.resolve("song.wav");
        byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0x21, (byte) 0xFF, (byte) 0xFB, (byte) 0x90};
        Files.write(mp3, id3);

        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> loader.load(mp3));

        assertContains(mp3.toString(), e);
        assertContains("not a RIFF/WAVE file: starts with 'ID3'", e);
        AudioDecodeException frameSync =
                rejects(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x44, 0, 0}, "raw.mp3");
        assertContains("starts with '\\xFF\\xFB\\x90\\x44'", frameSync);
    }

    @Test
    void textFileRenamedToWav() {
        AudioDecodeException e =
                rejects("hello, this is not audio\n".getBytes(StandardCharsets.UTF_8), "notes.wav");
        assertContains("notes.wav: not a RIFF/WAVE file: starts with 'hell'", e);
    }

    @Test
    void emptyAndTinyFiles() {
        assertContains("only 0 bytes long", rejects(new byte[0], "empty.wav"));
        assertContains("only 3 bytes long", rejects(new byte[] {'R', 'I', 'F'}, "tiny.wav"));
    }

    @Test
    void truncatedHeaders() {
        byte[] wav = TestAudio.wav16(TestAudio.sine(440, 8000, 100, 0.5), 8000);
        assertContains("truncated header", rejects(Arrays.copyOf(wav, 10), "a.wav"));
        assertContains("file ends inside the fmt chunk", rejects(Arrays.copyOf(wav, 30), "b.wav"));
        assertContains(
                "truncated header: file ends inside a chunk header",
                rejects(Arrays.copyOf(wav, 40), "c.wav"));
        assertContains("no data chunk found", rejects(Arrays.copyOf(wav, 36), "d.wav"));
    }

    @Test
    void inconsistentOrUnsupportedHeaders() {
        byte[] wav = TestAudio.wav16(TestAudio.sine(440, 8000, 100, 0.5), 8000);
        byte[] badAlign = wav.clone();
        badAlign[32] = 4; // blockAlign 4 for mono 16-bit
        assertContains(
                "blockAlign (4) != channels (1) x bitsPerSample/8 (2)", rejects(badAlign, "x.wav"));
        byte[] mp3InWav = wav.clone();
        mp3InWav[20] = 0x55; // format tag 0x0055 (MPEG layer 3)
        assertContains("unsupported encoding (format tag 0x0055)", rejects(mp3InWav, "x.wav"));
        byte[] twelveBit = wav.clone();
        twelveBit[34] = 12;
        assertContains("bitsPerSample (12) is not supported", rejects(twelveBit, "x.wav"));
        byte[] noRate = wav.clone();
        Arrays.fill(noRate, 24, 28, (byte) 0);
        assertContains("sampleRate (0) must be in [1, 1000000]", rejects(noRate, "x.wav"));
        byte[] avi = wav.clone();
        System.arraycopy("AVI ".getBytes(StandardCharsets.US_ASCII), 0, avi, 8, 4);
        assertContains("RIFF form type is 'AVI '", rejects(avi, "x.avi"));
        // data chunk before fmt chunk
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12);
        b.put("WAVEdata".getBytes(StandardCharsets.US_ASCII)).putInt(0);
        assertContains("data chunk comes before fmt chunk", rejects(b.array(), "x.wav"));
    }

    @Test
    void lyingDataSizeReadsTheSamplesThatExist() throws IOException {
        float[] x = TestAudio.sine(440, 8000, 1001, 0.5);
        byte[] wav = TestAudio.wav16(x, 8000);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 1_000_000);
        byte[] oddTail = Arrays.copyOf(wav, wav.length - 1); // last frame incomplete

        Waveform w = WavReader.read(new java.io.ByteArrayInputStream(oddTail), "liar.wav", 30);

        assertEquals(1000, w.length());
        assertEquals(Math.round(x[999] * 32767) / 32768f, w.samples()[999], 1e-7);
    }

    @Test
    void zeroSamplesIsAnError() {
        byte[] empty = TestAudio.wav16(new float[0], 16000);
        assertContains("contains no samples", rejects(empty, "empty-data.wav"));
        // A data chunk claiming samples that are not there is the same.
        byte[] header = TestAudio.header(16000, 16, 32000);
        assertContains("contains no samples", rejects(header, "header-only.wav"));
    }

    @Test
    void oneSampleGivesOneFrame() throws IOException {
        Waveform w = loader.load(TestAudio.wav16(new float[] {0.5f}, 16000), "one.wav");
        assertEquals(1, w.length());

        Features f = new LogMelExtractor(LogMelConfig.defaults()).extract(w);

        assertEquals(1, f.frames());
        for (float[] row : f.values()) {
            assertTrue(Float.isFinite(row[0]));
        }
    }

    @Test
    void silenceGivesTheFloorOrZeros() throws IOException {
        Waveform w = loader.load(TestAudio.wav16(new float[16000], 16000), "silence.wav");
        Features raw = new LogMelExtractor(LogMelConfig.defaults()).extract(w);
        Features normalized =
                new LogMelExtractor(
                                LogMelConfig.builder()
                                        .normalization(FeatureNormalization.PER_UTTERANCE)
                                        .build())
                        .extract(w);
        for (int m = 0; m < raw.rows(); m++) {
            for (int t = 0; t < raw.frames(); t++) {
                assertEquals(Math.log(1e-10), raw.values()[m][t], 1e-5);
                assertEquals(0f, normalized.values()[m][t]);
            }
        }
    }

    @Test
    void nanAndInfinityNameTheSample() {
        for (double bad :
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] left = new double[50];
            double[] right = new double[50];
            right[17] = bad;
            byte[] wav =
                    TestAudio.wav(
                            TestAudio.FLOAT, 32, 16000, new double[][] {left, right}, false, false);
            AudioDecodeException e = rejects(wav, "nan.wav");
            assertContains("sample 17 (channel 1) is " + (float) bad, e);
        }
    }

    @Test
    void twoHourHeaderIsReadOnlyUpToTheCap(@TempDir Path dir) throws IOException {
        // A real 2-hour 8 kHz 8-bit file (57.6 MB), written sparse so it costs no disk or time.
        long dataBytes = 2L * 3600 * 8000;
        Path file = dir.resolve("two-hours.wav");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(TestAudio.header(8000, 8, dataBytes));
            raf.setLength(44 + dataBytes);
        }
        AudioLoader capped = new AudioLoader(AudioLoadConfig.defaults().withMaxSeconds(10));

        long start = System.nanoTime();
        Waveform w = capped.load(file);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(10 * 16000, w.length());
        assertTrue(seconds < 5, "took " + seconds + " s");
        // Sparse zeros are 8-bit code 0, i.e. -1.0, resampled: finite and bounded.
        for (float v : w.samples()) {
            assertTrue(Float.isFinite(v) && Math.abs(v) < 1.2f);
        }
        // The same header over only one real second of data gives that second.
        byte[] lying = Arrays.copyOf(TestAudio.header(8000, 8, dataBytes), 44 + 8000);
        assertEquals(16000, loader.load(lying, "lying-two-hours.wav").length());
    }

    @Test
    void streamingSizeFieldReadsToTheEndWithinTheCap() throws IOException {
        // 0xFFFFFFFF: "size unknown", as streaming writers leave it; an hour's cap at 8 kHz.
        byte[] wav = Arrays.copyOf(TestAudio.header(8000, 8, 0xFFFFFFFFL), 44 + 123);
        AudioLoader hour = new AudioLoader(AudioLoadConfig.defaults().withMaxSeconds(3600));

        Waveform w = hour.load(wav, "stream.wav");

        assertEquals(Math.round(123 * 2.0), w.length());
    }
}
