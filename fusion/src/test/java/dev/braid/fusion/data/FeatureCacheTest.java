package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.braid.vision.image.ImageAugmentation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    @TempDir Path tmp;

    private Dataset dataset() throws Exception {
        Path dir = tmp.resolve("set");
        TestData.png(dir, "a.png", 255, 0, 51);
        TestData.silentWav(dir, "a.wav", 400);
        return Manifest.read(
                TestData.manifest(
                        dir,
                        "{\"id\": \"a\", \"image\": \"a.png\", \"audio\": \"a.wav\", \"split\":"
                                + " \"train\"}"));
    }

    private static FeatureExtractor extractor(FeatureSettings settings, FeatureCache cache) {
        return new FeatureExtractor(
                new TestData.CharTokenizer(), settings, ImageAugmentation.none(), cache);
    }

    private long entries() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
            return files.filter(p -> p.toString().endsWith(".bin")).count();
        }
    }

    @Test
    void secondPassReadsTheCache() throws Exception {
        ManifestEntry entry = dataset().entries().get(0);
        FeatureCache.OnDisk cache = FeatureCache.onDisk(tmp.resolve("cache"));
        FeatureExtractor extractor = extractor(TestData.settings(), cache);

        SampleFeatures first = extractor.extract(entry, 0);
        assertEquals(0, cache.hits());
        assertEquals(2, cache.misses(), "image and audio computed");
        assertEquals(2, entries());

        SampleFeatures second = extractor.extract(entry, 0);
        assertEquals(2, cache.hits());
        assertEquals(2, cache.misses());
        assertArrayEquals(first.pixels(), second.pixels());
        assertEquals(first.logMel().frames(), second.logMel().frames());
        for (int m = 0; m < 4; m++) {
            assertArrayEquals(first.logMel().values()[m], second.logMel().values()[m]);
        }
    }

    @Test
    void theValuesComeFromTheCacheFile() throws Exception {
        Path dir = tmp.resolve("set");
        TestData.png(dir, "a.png", 255, 0, 51);
        ManifestEntry entry =
                Manifest.read(
                                TestData.manifest(
                                        dir,
                                        "{\"id\": \"a\", \"image\": \"a.png\", \"split\": \"train\"}"))
                        .entries()
                        .get(0);
        FeatureCache.OnDisk cache = FeatureCache.onDisk(tmp.resolve("cache"));
        FeatureExtractor extractor = extractor(TestData.settings(), cache);
        extractor.extract(entry, 0);

        // overwrite the first float (after version and length ints) with 7
        Path file;
        try (Stream<Path> files = Files.walk(cache.dir())) {
            file = files.filter(p -> p.toString().endsWith(".bin")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putFloat(8, 7f);
        Files.write(file, bytes);

        assertEquals(7f, extractor.extract(entry, 0).pixels()[0]);
    }

    @Test
    void changedSettingsOrFileMiss() throws Exception {
        Dataset set = dataset();
        ManifestEntry entry = set.entries().get(0);
        FeatureCache.OnDisk cache = FeatureCache.onDisk(tmp.resolve("cache"));
        extractor(TestData.settings(), cache).extract(entry, 0);

        FeatureSettings base = TestData.settings();
        FeatureSettings otherImage =
                new FeatureSettings(
                        base.textMaxLength(),
                        base.image().withSize(2, 2),
                        base.audioLoad(),
                        base.logMel(),
                        base.audioMaxFrames());
        SampleFeatures resized = extractor(otherImage, cache).extract(entry, 0);

        assertEquals(1, cache.hits(), "audio settings unchanged: hit");
        assertEquals(3, cache.misses(), "image settings changed: miss");
        assertEquals(3 * 2 * 2, resized.pixels().length);

        TestData.png(set.dir(), "a.png", 0, 255, 0);
        SampleFeatures green = extractor(TestData.settings(), cache).extract(entry, 0);
        assertEquals(4, cache.misses(), "changed file bytes: miss");
        assertEquals(0f, green.pixels()[0]);
        assertEquals(1f, green.pixels()[16]);
    }

    @Test
    void augmentedImagesBypassTheCache() throws Exception {
        ManifestEntry entry = dataset().entries().get(0);
        FeatureCache.OnDisk cache = FeatureCache.onDisk(tmp.resolve("cache"));
        FeatureExtractor augmenting =
                new FeatureExtractor(
                        new TestData.CharTokenizer(),
                        TestData.settings(),
                        ImageAugmentation.of(
                                new dev.braid.vision.image.Augmentation.GaussianNoise(0.1)),
                        cache);

        augmenting.extract(entry, 1);
        augmenting.extract(entry, 2);

        assertEquals(1, cache.misses(), "only the audio was cached");
        assertEquals(1, cache.hits());
    }
}
