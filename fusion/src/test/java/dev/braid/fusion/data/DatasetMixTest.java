package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetMixTest {

    @TempDir Path tmp;

    /** {@code rows} training rows with text and class labels, plus one val row. */
    private Dataset texts(String name, int rows) throws Exception {
        String[] lines = new String[rows + 1];
        for (int i = 0; i < rows; i++) {
            lines[i] =
                    "{\"id\": \""
                            + name
                            + i
                            + "\", \"text\": \"t"
                            + i
                            + "\", \"label\": \""
                            + (i % 2 == 0 ? "even" : "odd")
                            + "\", \"split\": \"train\"}";
        }
        lines[rows] = "{\"id\": \"v\", \"text\": \"v\", \"split\": \"val\"}";
        return Manifest.read(TestData.manifest(tmp.resolve(name), lines));
    }

    /** Rows with an image and a numeric "score" label instead. */
    private Dataset images(String name, int rows) throws Exception {
        Path dir = tmp.resolve(name);
        TestData.png(dir, "a.png", 1, 2, 3);
        String[] lines = new String[rows];
        for (int i = 0; i < rows; i++) {
            lines[i] =
                    "{\"id\": \""
                            + name
                            + i
                            + "\", \"image\": \"a.png\", \"label\": {\"score\": "
                            + i
                            + "}, \"split\": \"train\"}";
        }
        return Manifest.read(TestData.manifest(dir, lines));
    }

    @Test
    void proportionsFollowTheWeights() throws Exception {
        DatasetMix mix =
                new DatasetMix(
                        List.of(
                                new DatasetMix.Part(texts("a", 5), 3),
                                new DatasetMix.Part(texts("b", 20), 1)),
                        Split.TRAIN,
                        8000);

        List<Sample> epoch = mix.epoch(99, 0);

        assertEquals(8000, epoch.size());
        long fromA = epoch.stream().filter(s -> s.datasetIndex() == 0).count();
        // expected 0.75 * 8000 = 6000, binomial sd = sqrt(8000 * 0.75 * 0.25) ~ 39
        assertEquals(6000, fromA, 200);
        assertTrue(epoch.stream().allMatch(s -> s.entry().split() == Split.TRAIN));
    }

    @Test
    void eachDatasetIsDrawnWithoutReplacementUntilExhausted() throws Exception {
        Dataset a = texts("a", 5);
        DatasetMix mix =
                new DatasetMix(
                        List.of(new DatasetMix.Part(a, 1), new DatasetMix.Part(texts("b", 3), 1)),
                        Split.TRAIN,
                        200);

        List<String> drawnFromA =
                mix.epoch(1, 0).stream()
                        .filter(s -> s.datasetIndex() == 0)
                        .map(s -> s.entry().id())
                        .toList();

        assertTrue(drawnFromA.size() >= 10);
        for (int start = 0; start + 5 <= drawnFromA.size(); start += 5) {
            assertEquals(
                    5,
                    new HashSet<>(drawnFromA.subList(start, start + 5)).size(),
                    "cycle at " + start + " repeats a row: " + drawnFromA);
        }
    }

    @Test
    void deterministicPerSeedAndEpoch() throws Exception {
        DatasetMix mix =
                DatasetMix.of(
                        List.of(
                                new DatasetMix.Part(texts("a", 6), 1),
                                new DatasetMix.Part(texts("b", 4), 2)),
                        Split.TRAIN);

        assertEquals(10, mix.epochSize(), "default: the sum of the training rows");
        assertEquals(mix.epoch(5, 2), mix.epoch(5, 2));
        assertNotEquals(mix.epoch(5, 2), mix.epoch(5, 3));
        assertNotEquals(mix.epoch(5, 2), mix.epoch(6, 2));
    }

    @Test
    void validatesWeightsAndSplits() throws Exception {
        Dataset a = texts("a", 2);
        for (double w : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new DatasetMix.Part(a, w));
            assertEquals(
                    "weight (" + w + ") of dataset 'a' must be positive and finite",
                    e.getMessage());
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DatasetMix.of(List.of(new DatasetMix.Part(a, 1)), Split.TEST));
        assertEquals("dataset 'a' has no test rows to mix", e.getMessage());
    }

    @Test
    void loaderStreamsAMixWithDifferentModalitiesAndHeads() throws Exception {
        Dataset a = texts("a", 4);
        Dataset b = images("b", 4);
        DatasetMix mix =
                new DatasetMix(
                        List.of(new DatasetMix.Part(a, 1), new DatasetMix.Part(b, 1)),
                        Split.TRAIN,
                        12);
        TaskSchema schema = TaskSchema.infer(mix.datasets());
        assertEquals(List.of("label", "score"), List.copyOf(schema.heads().keySet()));

        List<Batch> batches = new ArrayList<>();
        try (BatchLoader loader =
                new BatchLoader(
                        mix, TestData.extractor(), schema, new BatchLoaderConfig(6, 2, 2, 3))) {
            Iterator<Batch> it = loader.epoch(0, 0);
            it.forEachRemaining(batches::add);
        }

        assertEquals(2, batches.size());
        int fromA = 0;
        for (Batch batch : batches) {
            int[] source = batch.datasetIndex();
            boolean[] label = batch.targets().get("label").present();
            boolean[] score = batch.targets().get("score").present();
            boolean[] expectLabel = new boolean[source.length];
            boolean[] expectScore = new boolean[source.length];
            for (int i = 0; i < source.length; i++) {
                expectLabel[i] = source[i] == 0;
                expectScore[i] = source[i] == 1;
                fromA += source[i] == 0 ? 1 : 0;
                assertEquals(
                        source[i] == 0 ? "a" : "b",
                        batch.ids().get(i).substring(0, 1),
                        "datasetIndex matches the row's dataset");
            }
            assertArrayEquals(expectLabel, label);
            assertArrayEquals(expectScore, score);
        }
        assertTrue(fromA > 0 && fromA < 12, "both datasets drawn: " + fromA);
        assertTrue(batches.stream().anyMatch(bt -> bt.has(Modality.IMAGE)), "b brings images");
        assertTrue(batches.stream().anyMatch(bt -> bt.has(Modality.TEXT)), "a brings text");
    }
}
