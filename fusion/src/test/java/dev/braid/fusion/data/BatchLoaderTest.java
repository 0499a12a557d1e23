package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import dev.braid.vision.image.Augmentation;
import dev.braid.vision.image.ImageAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {

    @TempDir Path tmp;

    private Dataset dataset;
    private TaskSchema schema;

    /** 10 training rows r0..r9, text "row i", every other one with an image; labels a/b. */
    @BeforeEach
    void writeDataset() throws Exception {
        Path dir = tmp.resolve("set");
        String[] lines = new String[10];
        for (int i = 0; i < lines.length; i++) {
            String image = "";
            if (i % 2 == 0) {
                TestData.png(dir, "img/" + i + ".png", 20 * i, 100, 200 - 10 * i);
                image = ", \"image\": \"img/" + i + ".png\"";
            }
            lines[i] =
                    "{\"id\": \"r"
                            + i
                            + "\", \"text\": \"row "
                            + i
                            + "\""
                            + image
                            + ", \"label\": \""
                            + (i < 5 ? "a" : "b")
                            + "\", \"split\": \"train\"}";
        }
        dataset = Manifest.read(TestData.manifest(dir, lines));
        schema = TaskSchema.infer(List.of(dataset));
    }

    private static FeatureExtractor augmenting() {
        return new FeatureExtractor(
                new TestData.CharTokenizer(),
                TestData.settings(),
                ImageAugmentation.of(new Augmentation.GaussianNoise(0.1)),
                FeatureCache.none());
    }

    private BatchLoader loader(Order order, int workers, int prefetch) {
        return new BatchLoader(
                SampleSource.of(dataset.entries(Split.TRAIN), order),
                augmenting(),
                schema,
                new BatchLoaderConfig(4, workers, prefetch, 1234));
    }

    private static List<Batch> all(Iterator<Batch> batches) {
        List<Batch> out = new ArrayList<>();
        batches.forEachRemaining(out::add);
        return out;
    }

    private static List<List<String>> ids(List<Batch> batches) {
        return batches.stream().map(Batch::ids).toList();
    }

    private static Set<String> loaderThreads(BatchLoader loader) {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(loader.threadNamePrefix())) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void oneThreadAndTwoThreadsGiveTheSameBatches() {
        List<Batch> one;
        List<Batch> two;
        try (BatchLoader loader = loader(Order.SHUFFLED, 1, 1)) {
            assertEquals(3, loader.batchesPerEpoch());
            one = all(loader.epoch(0, 0));
        }
        try (BatchLoader loader = loader(Order.SHUFFLED, 2, 3)) {
            two = all(loader.epoch(0, 0));
        }

        assertEquals(ids(one), ids(two));
        assertEquals(List.of(4, 4, 2), one.stream().map(Batch::size).toList());
        List<String> flat = ids(one).stream().flatMap(List::stream).sorted().toList();
        assertEquals(
                List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"),
                flat,
                "an epoch is a permutation of the rows");
        assertNotEquals(
                List.of("r0", "r1", "r2", "r3"), ids(one).get(0), "shuffled, not manifest order");
        for (int b = 0; b < one.size(); b++) {
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                assertArrayEquals(
                        one.get(b).image(m).get(0).toFloatArray(),
                        two.get(b).image(m).get(0).toFloatArray(),
                        "augmentation does not depend on threads");
            }
        }
    }

    @Test
    void epochsDifferAndRepeat() {
        try (BatchLoader loader = loader(Order.SHUFFLED, 2, 2)) {
            List<List<String>> first = ids(all(loader.epoch(0, 0)));
            List<List<String>> second = ids(all(loader.epoch(1, 0)));
            List<List<String>> firstAgain = ids(all(loader.epoch(0, 0)));

            assertNotEquals(first, second);
            assertEquals(first, firstAgain);
        }
    }

    @Test
    void sequentialOrderIsManifestOrder() {
        try (BatchLoader loader = loader(Order.SEQUENTIAL, 2, 2)) {
            assertEquals(
                    List.of(
                            List.of("r0", "r1", "r2", "r3"),
                            List.of("r4", "r5", "r6", "r7"),
                            List.of("r8", "r9")),
                    ids(all(loader.epoch(3, 0))));
        }
    }

    @Test
    void resumingYieldsTheTailOfTheEpoch() {
        try (BatchLoader loader = loader(Order.SHUFFLED, 2, 2)) {
            List<Batch> whole = all(loader.epoch(5, 0));
            List<Batch> tail = all(loader.epoch(5, 1));
            List<Batch> none = all(loader.epoch(5, 3));

            assertEquals(ids(whole).subList(1, 3), ids(tail));
            assertEquals(List.of(), none);
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                assertArrayEquals(
                        whole.get(2).image(m).get(0).toFloatArray(),
                        tail.get(1).image(m).get(0).toFloatArray(),
                        "the same augmentation after resuming");
            }
        }
    }

    @Test
    void workerFailureNamesLineAndFileAndSkippedBatchesAreNotPrepared() throws Exception {
        Path bad = Path.of(dataset.entries().get(2).inputs().get(Modality.IMAGE));
        Files.writeString(bad, "garbage");

        try (BatchLoader loader = loader(Order.SEQUENTIAL, 2, 2)) {
            Iterator<Batch> batches = loader.epoch(0, 0);
            BatchLoadException e = assertThrows(BatchLoadException.class, batches::next);
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "batch 0 of epoch 0 failed: "
                                            + dataset.dir().resolve("manifest.jsonl")
                                            + ":3: IMAGE "
                                            + bad),
                    e.getMessage());
            assertTrue(e.getCause() instanceof FeatureException);

            // the bad row is in batch 0, which resuming at batch 1 never prepares
            assertEquals(
                    List.of(List.of("r4", "r5", "r6", "r7"), List.of("r8", "r9")),
                    ids(all(loader.epoch(0, 1))));
        }
    }

    @Test
    void closeStopsTheWorkers() throws Exception {
        BatchLoader loader = loader(Order.SHUFFLED, 2, 3);
        Iterator<Batch> batches = loader.epoch(0, 0);
        batches.next();
        assertTrue(!loaderThreads(loader).isEmpty(), "workers are running");

        loader.close();

        assertEquals(Set.of(), loaderThreads(loader));
        IllegalStateException e = assertThrows(IllegalStateException.class, batches::hasNext);
        assertEquals("the batch loader is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> loader.epoch(1, 0));
    }

    @Test
    void closingFromAnotherThreadStopsTheIterator() throws Exception {
        BatchLoader loader = loader(Order.SHUFFLED, 1, 1);
        Iterator<Batch> batches = loader.epoch(0, 0);
        Thread closer = new Thread(loader::close);
        closer.start();
        closer.join(10_000);

        assertThrows(IllegalStateException.class, () -> all(batches));
        assertEquals(Set.of(), loaderThreads(loader));
    }

    @Test
    void aLaterEpochAbandonsTheEarlierIterator() {
        try (BatchLoader loader = loader(Order.SHUFFLED, 1, 1)) {
            Iterator<Batch> first = loader.epoch(0, 0);
            first.next();
            loader.epoch(1, 0);

            IllegalStateException e = assertThrows(IllegalStateException.class, first::hasNext);
            assertEquals("epoch 0 was abandoned by a later call of epoch()", e.getMessage());
        }
    }

    @Test
    void validatesArguments() {
        try (BatchLoader loader = loader(Order.SHUFFLED, 1, 1)) {
            assertThrows(IllegalArgumentException.class, () -> loader.epoch(0, 4));
            assertThrows(IllegalArgumentException.class, () -> loader.epoch(-1, 0));
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new BatchLoaderConfig(4, 0, 1, 1));
        assertEquals("workers (0) must be positive", e.getMessage());
    }
}
