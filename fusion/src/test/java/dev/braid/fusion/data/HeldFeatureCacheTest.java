package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import dev.braid.vision.image.ImageAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldFeatureCacheTest {

    @TempDir Path tmp;

    private Dataset dataset;

    /** Six rows, each with an image and a clip of its own. */
    @BeforeEach
    void writeDataset() throws Exception {
        Path dir = tmp.resolve("set");
        String[] lines = new String[6];
        for (int i = 0; i < lines.length; i++) {
            TestData.png(dir, i + ".png", 40 * i, 100, 200 - 30 * i);
            TestData.silentWav(dir, i + ".wav", 400 + 80 * i);
            lines[i] =
                    "{\"id\": \"r%d\", \"image\": \"%d.png\", \"audio\": \"%d.wav\", \"label\":"
                            + " \"%s\", \"split\": \"train\"}";
            lines[i] = lines[i].formatted(i, i, i, i < 3 ? "a" : "b");
        }
        dataset = Manifest.read(TestData.manifest(dir, lines));
    }

    private static FeatureExtractor extractor(FeatureCache cache) {
        return new FeatureExtractor(
                new TestData.CharTokenizer(), TestData.settings(), ImageAugmentation.none(), cache);
    }

    @Test
    void laterLookupsAreAnsweredFromMemoryWithoutTheDisk() throws Exception {
        ManifestEntry entry = dataset.entries().get(0);
        FeatureCache.OnDisk disk = FeatureCache.onDisk(tmp.resolve("cache"));
        FeatureCache.Held held = FeatureCache.heldInMemory(disk, 1 << 20);
        FeatureExtractor extractor = extractor(held);

        SampleFeatures first = extractor.extract(entry, 0);
        SampleFeatures second = extractor.extract(entry, 0);

        assertEquals(2, disk.misses(), "image and clip computed once");
        assertEquals(0, disk.hits(), "the second lookup never reached the disk cache");
        assertEquals(2, held.hits());
        assertSame(first.pixels(), second.pixels());
        assertSame(first.logMel(), second.logMel());
        long floats = first.pixels().length + (long) first.logMel().rows() * first.logMel().width();
        assertEquals(floats * Float.BYTES, held.bytesHeld());
    }

    @Test
    void aFileChangedSinceIsReadAgain() throws Exception {
        ManifestEntry entry = dataset.entries().get(0);
        FeatureCache.Held held = FeatureCache.heldInMemory(FeatureCache.none(), 1 << 20);
        FeatureExtractor extractor = extractor(held);
        float[] before = extractor.extract(entry, 0).pixels();
        long bytes = held.bytesHeld();

        Path png = dataset.dir().resolve("0.png");
        TestData.png(dataset.dir(), "0.png", 0, 255, 0);
        Files.setLastModifiedTime(
                png, FileTime.fromMillis(Files.getLastModifiedTime(png).toMillis() + 5000));
        float[] after = extractor.extract(entry, 0).pixels();

        assertEquals(0f, after[0], "red now 0");
        assertEquals(before.length, after.length);
        assertEquals(bytes, held.bytesHeld(), "the old features are no longer counted");
        assertSame(after, extractor.extract(entry, 0).pixels(), "and the new ones are held");
    }

    @Test
    void nothingIsKeptBeyondTheBudget() throws Exception {
        ManifestEntry entry = dataset.entries().get(0);
        FeatureCache.OnDisk disk = FeatureCache.onDisk(tmp.resolve("cache"));
        int image = 3 * 4 * 4 * Float.BYTES; // TestData.settings(): 3 x 4 x 4 pixels
        FeatureCache.Held held = FeatureCache.heldInMemory(disk, image);
        FeatureExtractor extractor = extractor(held);

        extractor.extract(entry, 0);
        extractor.extract(entry, 0);

        assertEquals(image, held.bytesHeld(), "the image fitted, the clip did not");
        assertEquals(1, held.hits());
        assertEquals(1, disk.hits(), "the clip was read from the disk cache again");
    }

    @Test
    void aLoaderGivesTheSameBatchesWithFeaturesHeldOrNot() throws Exception {
        List<List<float[]>> runs = new ArrayList<>();
        for (FeatureCache cache :
                List.of(
                        FeatureCache.none(),
                        FeatureCache.heldInMemory(FeatureCache.none(), 1 << 20))) {
            List<float[]> arrays = new ArrayList<>();
            try (BatchLoader loader = loader(cache);
                    NDManager manager = NDManager.newBaseManager()) {
                for (int epoch = 0; epoch < 3; epoch++) {
                    loader.epoch(epoch, 0)
                            .forEachRemaining(
                                    b -> {
                                        arrays.add(b.image(manager).get(0).toFloatArray());
                                        arrays.add(b.audio(manager).get(0).toFloatArray());
                                    });
                }
            }
            runs.add(arrays);
        }
        assertEquals(runs.get(0).size(), runs.get(1).size());
        for (int i = 0; i < runs.get(0).size(); i++) {
            assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), "array " + i);
        }
    }

    /** Batches of 4 on 2 workers. */
    private BatchLoader loader(FeatureCache cache) {
        return loader(cache, 4, 2);
    }

    private BatchLoader loader(FeatureCache cache, int batchSize, int workers) {
        return new BatchLoader(
                SampleSource.of(dataset.entries(Split.TRAIN), Order.SHUFFLED),
                extractor(cache),
                TaskSchema.infer(List.of(dataset)),
                new BatchLoaderConfig(batchSize, workers, 2, 99));
    }

    @Test
    void keepingFeaturesBeforeTheFirstEpochLeavesItNothingToRead() throws Exception {
        FeatureCache.OnDisk disk = FeatureCache.onDisk(tmp.resolve("cache"));
        FeatureCache.Held held = FeatureCache.heldInMemory(disk, 1 << 20);
        List<Integer> progress = new ArrayList<>();
        try (BatchLoader loader = loader(held)) {
            assertEquals(6, loader.keepFeatures(held::full, progress::add));
            assertEquals(12, disk.misses(), "every image and clip decoded once");
            assertEquals(List.of(6), progress, "two workers of 4 samples read them all at once");

            loader.epoch(0, 0).forEachRemaining(b -> {});
            assertEquals(12, held.hits(), "the epoch found them all in memory");
            assertEquals(0, disk.hits());
        }
    }

    @Test
    void keepingFeaturesStopsWhenTheCacheIsFull() throws Exception {
        int image = 3 * 4 * 4 * Float.BYTES; // room for an image, not for its clip as well
        FeatureCache.Held held = FeatureCache.heldInMemory(FeatureCache.none(), image + 1);
        try (BatchLoader loader = loader(held, 1, 1)) {
            assertEquals(1, loader.keepFeatures(held::full, done -> {}), "one sample a round");
            assertTrue(held.full());
            assertEquals(image, held.bytesHeld(), "its image kept, its clip not");
            assertEquals(0, loader.keepFeatures(held::full, done -> {}), "full from the start");
        }
    }

    @Test
    void keepingFeaturesFailsNamingTheLineAndFile() throws Exception {
        Path bad = Path.of(dataset.entries().get(3).inputs().get(Modality.AUDIO));
        Files.writeString(bad, "not a clip");
        FeatureCache.Held held = FeatureCache.heldInMemory(FeatureCache.none(), 1 << 20);
        try (BatchLoader loader = loader(held)) {
            FeatureException e =
                    assertThrows(
                            FeatureException.class, () -> loader.keepFeatures(held::full, d -> {}));
            assertTrue(e.getMessage().contains("manifest.jsonl:4"), e.getMessage());
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    @Test
    void refusesANegativeBudgetAndHoldingTwice() {
        assertThrows(
                IllegalArgumentException.class,
                () -> FeatureCache.heldInMemory(FeatureCache.none(), -1));
        FeatureCache.Held held = FeatureCache.heldInMemory(FeatureCache.none(), 0);
        assertThrows(IllegalArgumentException.class, () -> FeatureCache.heldInMemory(held, 10));
    }
}
