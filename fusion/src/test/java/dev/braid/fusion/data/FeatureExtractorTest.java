package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import dev.braid.vision.image.Augmentation;
import dev.braid.vision.image.ImageAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureExtractorTest {

    @TempDir Path tmp;

    private Dataset dataset() throws Exception {
        Path dir = tmp.resolve("set");
        TestData.png(dir, "images/red.png", 255, 0, 51);
        TestData.silentWav(dir, "audio/short.wav", 400);
        TestData.silentWav(dir, "audio/long.wav", 4000);
        return Manifest.read(
                TestData.manifest(
                        dir,
                        "{\"id\": \"all\", \"text\": \"ab\", \"image\": \"images/red.png\","
                                + " \"audio\": \"audio/short.wav\", \"split\": \"train\"}",
                        "{\"id\": \"long-text\", \"text\": \"abcdefghij\", \"split\": \"train\"}",
                        "{\"id\": \"long-audio\", \"audio\": \"audio/long.wav\", \"split\":"
                                + " \"train\"}"));
    }

    @Test
    void textIsClsTokensSepTruncatedToMaxLength() throws Exception {
        Dataset set = dataset();
        FeatureExtractor extractor = TestData.extractor();

        // 'a' = 97 -> 10 + 97 % 90 = 17, 'b' -> 18; [CLS] = 2, [SEP] = 3
        assertArrayEquals(
                new int[] {2, 17, 18, 3}, extractor.extract(set.entries().get(0), 0).tokenIds());
        // textMaxLength 8 keeps 6 characters: a..f -> 17..22
        assertArrayEquals(
                new int[] {2, 17, 18, 19, 20, 21, 22, 3},
                extractor.extract(set.entries().get(1), 0).tokenIds());
    }

    @Test
    void imageIsChwScaledPixels() throws Exception {
        SampleFeatures f = TestData.extractor().extract(dataset().entries().get(0), 0);

        // 4 x 4, mean 0 std 1: R = 255/255, G = 0, B = 51/255 = 0.2
        float[] expected = new float[3 * 16];
        for (int p = 0; p < 16; p++) {
            expected[p] = 1f;
            expected[32 + p] = 0.2f;
        }
        assertArrayEquals(expected, f.pixels(), 1e-6f);
    }

    @Test
    void audioIsLogMelOfSilenceCroppedToMaxFrames() throws Exception {
        Dataset set = dataset();
        FeatureExtractor extractor = TestData.extractor();

        SampleFeatures shortClip = extractor.extract(set.entries().get(0), 0);
        SampleFeatures longClip = extractor.extract(set.entries().get(2), 0);

        // 400 samples, hop 80: 1 + 400 / 80 = 6 frames; silence is ln(floor) = ln(1e-10)
        assertEquals(4, shortClip.logMel().rows());
        assertEquals(6, shortClip.logMel().frames());
        assertEquals(6, shortClip.logMel().width());
        for (float[] row : shortClip.logMel().values()) {
            for (float v : row) {
                assertEquals(-23.02585f, v, 1e-4f);
            }
        }
        // 4000 samples would be 51 frames; cropped to audioMaxFrames = 20
        assertEquals(20, longClip.logMel().frames());
        assertEquals(20, longClip.logMel().width());
    }

    @Test
    void absentModalitiesAreEmpty() throws Exception {
        Dataset set = dataset();
        FeatureExtractor extractor = TestData.extractor();

        SampleFeatures all = extractor.extract(set.entries().get(0), 0);
        SampleFeatures textOnly = extractor.extract(set.entries().get(1), 0);
        SampleFeatures audioOnly = extractor.extract(set.entries().get(2), 0);

        assertEquals(
                new TreeSet<>(List.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO)),
                all.present());
        assertEquals(Set.of(Modality.TEXT), textOnly.present());
        assertEquals(0, textOnly.pixels().length);
        assertSame(SampleFeatures.NO_AUDIO, textOnly.logMel());
        assertEquals(Set.of(Modality.AUDIO), audioOnly.present());
        assertEquals(0, audioOnly.tokenIds().length);
        assertFalse(audioOnly.has(Modality.IMAGE));
    }

    @Test
    void decodeErrorNamesLineModalityAndFile() throws Exception {
        Dataset set = dataset();
        Path image = Path.of(set.entries().get(0).inputs().get(Modality.IMAGE));
        Files.writeString(image, "not an image");

        FeatureException e =
                assertThrows(
                        FeatureException.class,
                        () -> TestData.extractor().extract(set.entries().get(0), 0));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                set.dir().resolve("manifest.jsonl") + ":1: IMAGE " + image + ": "),
                e.getMessage());
    }

    @Test
    void badAudioNamesLineModalityAndFile() throws Exception {
        Dataset set = dataset();
        Path audio = Path.of(set.entries().get(2).inputs().get(Modality.AUDIO));
        Files.writeString(audio, "RIFF but not really");

        FeatureException e =
                assertThrows(
                        FeatureException.class,
                        () -> TestData.extractor().extract(set.entries().get(2), 0));

        assertTrue(
                e.getMessage()
                        .startsWith(set.dir().resolve("manifest.jsonl") + ":3: AUDIO " + audio),
                e.getMessage());
    }

    @Test
    void augmentationDependsOnlyOnTheSampleSeed() throws Exception {
        Path dir = tmp.resolve("aug");
        TestData.png(dir, "a.png", 10, 120, 250);
        ManifestEntry entry =
                Manifest.read(
                                TestData.manifest(
                                        dir,
                                        "{\"id\": \"a\", \"image\": \"a.png\", \"split\":"
                                                + " \"train\"}"))
                        .entries()
                        .get(0);
        FeatureExtractor augmenting =
                new FeatureExtractor(
                        new TestData.CharTokenizer(),
                        TestData.settings(),
                        ImageAugmentation.of(new Augmentation.GaussianNoise(0.1)),
                        FeatureCache.none());

        float[] first = augmenting.extract(entry, 42).pixels();
        float[] again = augmenting.extract(entry, 42).pixels();
        float[] other = augmenting.extract(entry, 43).pixels();

        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, other), "another seed, other noise");
        assertEquals(FeatureExtractor.sampleSeed(7, 1, 3), FeatureExtractor.sampleSeed(7, 1, 3));
        assertFalse(FeatureExtractor.sampleSeed(7, 1, 3) == FeatureExtractor.sampleSeed(7, 2, 3));
    }

    @Test
    void mediaInMemoryAreDecodedFromTheirBytesAndNeverCached() throws Exception {
        Dataset set = dataset();
        Path dir = set.dir();
        byte[] png = Files.readAllBytes(dir.resolve("images/red.png"));
        byte[] wav = Files.readAllBytes(dir.resolve("audio/short.wav"));
        ManifestEntry fromDatabase =
                new ManifestEntry(
                        tmp.resolve("corrections.jsonl"),
                        1,
                        "ticket-1",
                        java.util.Map.of(
                                Modality.TEXT, "ab",
                                Modality.IMAGE, "desk:ticket-1/photo",
                                Modality.AUDIO, "desk:ticket-1/voice"),
                        java.util.Map.of(),
                        Split.TRAIN);
        FeatureCache.OnDisk cache = FeatureCache.onDisk(tmp.resolve("cache"));
        FeatureExtractor extractor =
                new FeatureExtractor(
                                new TestData.CharTokenizer(),
                                TestData.settings(),
                                ImageAugmentation.none(),
                                cache)
                        .withMediaInMemory(
                                java.util.Map.of(
                                        "desk:ticket-1/photo", png, "desk:ticket-1/voice", wav));

        SampleFeatures f = extractor.extract(fromDatabase, 0);

        // the same hand-computed pixels and frames as the files give (no such files exist)
        float[] expected = new float[3 * 16];
        for (int p = 0; p < 16; p++) {
            expected[p] = 1f;
            expected[32 + p] = 0.2f;
        }
        assertArrayEquals(expected, f.pixels(), 1e-6f);
        assertEquals(6, f.logMel().frames());
        assertArrayEquals(new int[] {2, 17, 18, 3}, f.tokenIds());
        SampleFeatures request = extractor.extract("ab", png, wav);
        assertArrayEquals(request.pixels(), f.pixels());
        assertArrayEquals(request.logMel().values()[0], f.logMel().values()[0]);
        assertEquals(0, cache.hits() + cache.misses(), "held bytes never reach the cache");
        try (var written = Files.walk(cache.dir())) {
            assertEquals(1, written.count(), "only the empty cache folder");
        }
    }
}
