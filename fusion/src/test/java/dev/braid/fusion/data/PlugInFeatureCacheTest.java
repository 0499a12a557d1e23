package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugin;
import dev.braid.fusion.ModalityPlugins;
import dev.braid.vision.image.ImageAugmentation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plug-in that opts in to the feature cache is read from it on a later pass over the same folder;
 * one that does not never touches it.
 */
class PlugInFeatureCacheTest {

    @TempDir Path tmp;
    private Path set;
    private ManifestEntry entry;

    @BeforeAll
    static void register() {
        ModalityPlugins.register(new NumbersFile());
        ModalityPlugins.register(new InlineNumbers());
    }

    @BeforeEach
    void writeDataset() throws IOException {
        NumbersFile.computed.set(0);
        InlineNumbers.computed.set(0);
        set = tmp.resolve("set");
        Files.createDirectories(set);
        Files.writeString(set.resolve("a.txt"), "1.5\n-2\n");
        entry =
                Manifest.read(
                                TestData.manifest(
                                        set,
                                        "{\"id\": \"a\", \"numbers\": \"a.txt\", \"inline\": [3,"
                                                + " 4], \"split\": \"train\"}"))
                        .entries()
                        .get(0);
    }

    private FeatureCache.OnDisk cache() throws IOException {
        return FeatureCache.onDisk(tmp.resolve("cache"));
    }

    private static FeatureExtractor extractor(FeatureCache cache) {
        return new FeatureExtractor(
                new TestData.CharTokenizer(), TestData.settings(), ImageAugmentation.none(), cache);
    }

    private static float[] numbers(SampleFeatures features) {
        return (float[]) features.others().get(NumbersFile.NUMBERS);
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
            List<Path> entries = files.filter(p -> p.toString().endsWith(".bin")).toList();
            assertEquals(1, entries.size(), "entries: " + entries);
            return entries.get(0);
        }
    }

    @Test
    void aSecondExtractorOverTheSameFolderReadsTheCache() throws IOException {
        FeatureCache.OnDisk first = cache();
        assertArrayEquals(new float[] {1.5f, -2f}, numbers(extractor(first).extract(entry, 0)));
        assertEquals(0, first.hits());
        assertEquals(1, first.misses());

        FeatureCache.OnDisk second = cache();
        assertArrayEquals(new float[] {1.5f, -2f}, numbers(extractor(second).extract(entry, 0)));
        assertEquals(1, second.hits());
        assertEquals(0, second.misses());
        assertEquals(1, NumbersFile.computed.get(), "computed once, then read from the cache");
    }

    @Test
    void theValuesComeFromTheEntry() throws IOException {
        extractor(cache()).extract(entry, 0);
        Path file = onlyEntry();
        byte[] bytes = Files.readAllBytes(file);
        // version, length, then the first float
        ByteBuffer.wrap(bytes).putFloat(8, 7f);
        Files.write(file, bytes);

        assertArrayEquals(new float[] {7f, -2f}, numbers(extractor(cache()).extract(entry, 0)));
    }

    @Test
    void anEditedFileMisses() throws IOException {
        extractor(cache()).extract(entry, 0);
        Files.writeString(set.resolve("a.txt"), "8\n");

        FeatureCache.OnDisk cache = cache();
        assertArrayEquals(new float[] {8f}, numbers(extractor(cache).extract(entry, 0)));
        assertEquals(0, cache.hits());
        assertEquals(1, cache.misses());
    }

    @Test
    void aCorruptEntryIsRecomputedAndRewritten() throws IOException {
        extractor(cache()).extract(entry, 0);
        Path file = onlyEntry();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 3));

        FeatureCache.OnDisk cache = cache();
        assertArrayEquals(new float[] {1.5f, -2f}, numbers(extractor(cache).extract(entry, 0)));
        assertEquals(1, cache.misses(), "the truncated entry is a miss");
        assertEquals(2, NumbersFile.computed.get());
        assertArrayEquals(whole, Files.readAllBytes(onlyEntry()), "rewritten whole");
    }

    @Test
    void aPlugInThatDoesNotOptInIsNeverCached() throws IOException {
        FeatureCache.OnDisk cache = cache();
        FeatureExtractor extractor = extractor(cache);
        extractor.extract(entry, 0);
        SampleFeatures again = extractor.extract(entry, 0);

        assertArrayEquals(new float[] {3f, 4f}, (float[]) again.others().get(InlineNumbers.INLINE));
        assertEquals(2, InlineNumbers.computed.get());
        // the lookups are the numbers file's: computed, then read
        assertEquals(1, cache.misses());
        assertEquals(1, cache.hits());
        onlyEntry();
    }

    @Test
    void aRequestsBytesBypassTheCache() throws IOException {
        FeatureCache.OnDisk cache = cache();
        SampleFeatures read =
                extractor(cache)
                        .extract(
                                null,
                                null,
                                null,
                                Map.of(
                                        NumbersFile.NUMBERS,
                                        "5\n".getBytes(StandardCharsets.UTF_8)));

        assertArrayEquals(new float[] {5f}, numbers(read));
        assertEquals(0, cache.hits() + cache.misses());
        try (Stream<Path> files = Files.list(cache.dir())) {
            assertEquals(List.of(), files.toList());
        }
    }

    /** Numbers, one a line, in a file the manifest names; cached. */
    static final class NumbersFile extends TestPlugIn {
        static final Modality NUMBERS = Modality.custom("numbers");
        static final AtomicInteger computed = new AtomicInteger();

        @Override
        public Modality modality() {
            return NUMBERS;
        }

        @Override
        public float[] fromManifest(JsonNode value, Path datasetDir) throws IOException {
            computed.incrementAndGet();
            return fromBytes(Files.readAllBytes(datasetDir.resolve(value.asText())));
        }

        @Override
        public float[] fromBytes(byte[] input) {
            String[] lines = new String(input, StandardCharsets.UTF_8).strip().split("\n");
            float[] values = new float[lines.length];
            for (int i = 0; i < lines.length; i++) {
                values[i] = Float.parseFloat(lines[i]);
            }
            return values;
        }

        @Override
        public byte[] cacheInput(JsonNode value, Path datasetDir) throws IOException {
            return Files.readAllBytes(datasetDir.resolve(value.asText()));
        }

        @Override
        public String cacheSettings() {
            return "numbers/1";
        }

        @Override
        public byte[] encode(float[] features) {
            ByteBuffer bytes = ByteBuffer.allocate(features.length * Float.BYTES);
            bytes.asFloatBuffer().put(features);
            return bytes.array();
        }

        @Override
        public float[] decode(byte[] bytes) throws IOException {
            if (bytes.length % Float.BYTES != 0) {
                throw new IOException(bytes.length + " bytes are not whole floats");
            }
            float[] values = new float[bytes.length / Float.BYTES];
            ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
            return values;
        }
    }

    /** Numbers written in the manifest row itself; not cached. */
    static final class InlineNumbers extends TestPlugIn {
        static final Modality INLINE = Modality.custom("inline");
        static final AtomicInteger computed = new AtomicInteger();

        @Override
        public Modality modality() {
            return INLINE;
        }

        @Override
        public float[] fromManifest(JsonNode value, Path datasetDir) {
            computed.incrementAndGet();
            float[] values = new float[value.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = value.get(i).floatValue();
            }
            return values;
        }

        @Override
        public float[] fromBytes(byte[] input) {
            throw new UnsupportedOperationException("not used here");
        }
    }

    /** The parts a feature test does not use. */
    abstract static class TestPlugIn implements ModalityPlugin<float[]> {
        @Override
        public NDList batch(List<float[]> features, NDManager manager) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public Shape[] inputShapes() {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public Block encoder(int width) {
            throw new UnsupportedOperationException("not used here");
        }
    }
}
