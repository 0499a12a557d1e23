package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.audio.features.Features;
import dev.braid.fusion.Modality;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CollatorTest {

    private static final Path MANIFEST = Path.of("/data/set/manifest.jsonl");

    private static TaskSchema schema() {
        Map<String, HeadSpec> heads = new TreeMap<>();
        heads.put("label", new HeadSpec("label", HeadKind.CLASSIFICATION, List.of("cat", "dog")));
        heads.put("score", new HeadSpec("score", HeadKind.REGRESSION, List.of()));
        heads.put("tags", new HeadSpec("tags", HeadKind.MULTI_LABEL, List.of("x", "y", "z")));
        return new TaskSchema(new TreeMap<>(heads));
    }

    private static Sample sample(int line, Map<String, Label> labels, Modality... modalities) {
        Map<Modality, String> inputs = new TreeMap<>();
        for (Modality m : modalities) {
            inputs.put(m, m == Modality.TEXT ? "t" : "/data/set/f" + line);
        }
        return new Sample(
                line % 2,
                new ManifestEntry(MANIFEST, line, "id" + line, inputs, labels, Split.TRAIN));
    }

    /** [M=4][F=frames]: value m * 10 + t + 1. */
    private static Features ramp(int frames) {
        float[][] v = new float[4][frames];
        for (int m = 0; m < 4; m++) {
            for (int t = 0; t < frames; t++) {
                v[m][t] = m * 10 + t + 1;
            }
        }
        return new Features(v, frames);
    }

    private static float[] filled(float value) {
        float[] v = new float[48];
        Arrays.fill(v, value);
        return v;
    }

    private static Batch threeSamples() {
        List<Sample> samples =
                List.of(
                        sample(
                                1,
                                Map.of(
                                        "label", new Label.ClassLabel("dog"),
                                        "tags", new Label.MultiLabel(List.of("z", "x"))),
                                Modality.TEXT,
                                Modality.IMAGE,
                                Modality.AUDIO),
                        sample(2, Map.of("score", new Label.NumericLabel(1.5)), Modality.AUDIO),
                        sample(
                                3,
                                Map.of("label", new Label.ClassLabel("cat")),
                                Modality.TEXT,
                                Modality.IMAGE));
        List<SampleFeatures> features =
                List.of(
                        new SampleFeatures(new int[] {2, 17, 18, 3}, filled(0.5f), ramp(3)),
                        new SampleFeatures(
                                SampleFeatures.NO_TEXT, SampleFeatures.NO_IMAGE, ramp(5)),
                        new SampleFeatures(new int[] {2, 3}, filled(1f), SampleFeatures.NO_AUDIO));
        return new Collator(schema(), TestData.settings(), 0).collate(samples, features);
    }

    @Test
    void textVectorsOfAPretrainedModelArePaddedWithZerosAndMasked() {
        List<Sample> samples =
                List.of(
                        sample(1, Map.of(), Modality.TEXT),
                        sample(2, Map.of(), Modality.AUDIO),
                        sample(3, Map.of(), Modality.TEXT));
        float[][] two = {{1, 2}, {3, 4}};
        float[][] one = {{5, 6}};
        List<SampleFeatures> features =
                List.of(
                        new SampleFeatures(
                                SampleFeatures.NO_TEXT,
                                two,
                                SampleFeatures.NO_IMAGE,
                                SampleFeatures.NO_AUDIO,
                                Map.of()),
                        new SampleFeatures(
                                SampleFeatures.NO_TEXT, SampleFeatures.NO_IMAGE, ramp(2)),
                        new SampleFeatures(
                                SampleFeatures.NO_TEXT,
                                one,
                                SampleFeatures.NO_IMAGE,
                                SampleFeatures.NO_AUDIO,
                                Map.of()));
        Batch batch = new Collator(schema(), TestData.settings(), 0, 2).collate(samples, features);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList text = batch.text(manager);
            assertEquals(new Shape(3, 2, 2), text.get(0).getShape()); // (B, T, H)
            assertEquals(DataType.FLOAT32, text.get(0).getDataType());
            assertArrayEquals(
                    new float[] {1, 2, 3, 4, 0, 0, 0, 0, 5, 6, 0, 0}, text.get(0).toFloatArray());
            assertArrayEquals(
                    new boolean[] {true, true, false, false, true, false},
                    text.get(1).toBooleanArray());
        }
        IllegalArgumentException wide =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new Collator(schema(), TestData.settings(), 0, 3)
                                        .collate(samples, features));
        assertTrue(wide.getMessage().contains("expected 3"), wide.getMessage());
    }

    @Test
    void describesTheSamples() {
        Batch batch = threeSamples();

        assertEquals(3, batch.size());
        assertEquals(List.of("id1", "id2", "id3"), batch.ids());
        assertArrayEquals(new int[] {1, 0, 1}, batch.datasetIndex());
        assertEquals(List.of(1, 2, 3), batch.entries().stream().map(ManifestEntry::line).toList());
        assertTrue(
                batch.has(Modality.TEXT) && batch.has(Modality.IMAGE) && batch.has(Modality.AUDIO));
    }

    @Test
    void padsAndMasksEveryModality() {
        Batch batch = threeSamples();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList text = batch.text(manager);
            assertEquals(new Shape(3, 4), text.get(0).getShape());
            assertEquals(DataType.INT64, text.get(0).getDataType());
            assertEquals(DataType.BOOLEAN, text.get(1).getDataType());
            assertArrayEquals(
                    new long[] {2, 17, 18, 3, 0, 0, 0, 0, 2, 3, 0, 0}, text.get(0).toLongArray());
            assertArrayEquals(
                    new boolean[] {
                        true, true, true, true, false, false, false, false, true, true, false, false
                    },
                    text.get(1).toBooleanArray());

            NDList image = batch.image(manager);
            assertEquals(new Shape(3, 3, 4, 4), image.get(0).getShape());
            assertEquals(DataType.FLOAT32, image.get(0).getDataType());
            float[] pixels = image.get(0).toFloatArray();
            float[] expected = new float[3 * 48];
            Arrays.fill(expected, 0, 48, 0.5f);
            Arrays.fill(expected, 96, 144, 1f);
            assertArrayEquals(expected, pixels);
            assertArrayEquals(new boolean[] {true, false, true}, image.get(1).toBooleanArray());

            NDList audio = batch.audio(manager);
            assertEquals(new Shape(3, 4, 5), audio.get(0).getShape());
            assertEquals(DataType.FLOAT32, audio.get(0).getDataType());
            assertEquals(DataType.INT32, audio.get(1).getDataType());
            assertArrayEquals(new int[] {3, 5, 0}, audio.get(1).toIntArray());
            float[] mel = audio.get(0).toFloatArray();
            // sample 0, mel 2: 21 22 23 then padding
            assertArrayEquals(new float[] {21, 22, 23, 0, 0}, Arrays.copyOfRange(mel, 10, 15));
            // sample 1, mel 3: 31..35, all real
            assertArrayEquals(new float[] {31, 32, 33, 34, 35}, Arrays.copyOfRange(mel, 35, 40));
            // sample 2: no audio, all zero
            assertArrayEquals(new float[20], Arrays.copyOfRange(mel, 40, 60));
        }
    }

    @Test
    void targetsArePresentOnlyWhereTheRowHasTheLabel() {
        Map<String, HeadTargets> targets = threeSamples().targets();
        assertEquals(List.of("label", "score", "tags"), List.copyOf(targets.keySet()));

        HeadTargets.Classes label = (HeadTargets.Classes) targets.get("label");
        assertEquals(HeadKind.CLASSIFICATION, label.kind());
        assertArrayEquals(new boolean[] {true, false, true}, label.present());
        assertArrayEquals(new long[] {1, 0, 0}, label.classIndex());

        HeadTargets.MultiHot tags = (HeadTargets.MultiHot) targets.get("tags");
        assertArrayEquals(new boolean[] {true, false, false}, tags.present());
        assertArrayEquals(new float[] {1, 0, 1, 0, 0, 0, 0, 0, 0}, tags.multiHot());

        HeadTargets.Values score = (HeadTargets.Values) targets.get("score");
        assertArrayEquals(new boolean[] {false, true, false}, score.present());
        assertArrayEquals(new float[] {0, 1.5f, 0}, score.values());

        try (NDManager manager = NDManager.newBaseManager()) {
            NDList l = label.toNDList(manager);
            assertEquals(DataType.INT64, l.get(0).getDataType());
            assertEquals(new Shape(3), l.get(0).getShape());
            assertEquals(DataType.BOOLEAN, l.get(1).getDataType());
            NDList t = tags.toNDList(manager);
            assertEquals(new Shape(3, 3), t.get(0).getShape());
            assertEquals(DataType.FLOAT32, t.get(0).getDataType());
            NDList s = score.toNDList(manager);
            assertEquals(new Shape(3), s.get(0).getShape());
            assertEquals(DataType.FLOAT32, s.get(0).getDataType());
            assertArrayEquals(new boolean[] {false, true, false}, s.get(1).toBooleanArray());
        }
    }

    @Test
    void absentModalitiesGiveMinimalShapes() {
        Batch batch =
                new Collator(schema(), TestData.settings(), 0)
                        .collate(
                                List.of(sample(1, Map.of(), Modality.IMAGE)),
                                List.of(
                                        new SampleFeatures(
                                                SampleFeatures.NO_TEXT,
                                                filled(0.25f),
                                                SampleFeatures.NO_AUDIO)));

        assertFalse(batch.has(Modality.TEXT));
        assertFalse(batch.has(Modality.AUDIO));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList text = batch.text(manager);
            assertEquals(new Shape(1, 1), text.get(0).getShape());
            assertArrayEquals(new long[] {0}, text.get(0).toLongArray());
            assertArrayEquals(new boolean[] {false}, text.get(1).toBooleanArray());
            NDList audio = batch.audio(manager);
            assertEquals(new Shape(1, 4, 1), audio.get(0).getShape());
            assertArrayEquals(new int[] {0}, audio.get(1).toIntArray());
        }
        assertArrayEquals(new boolean[] {false}, batch.targets().get("label").present());
    }

    @Test
    void noImageInTheBatchGivesZeros() {
        Batch batch =
                new Collator(schema(), TestData.settings(), 0)
                        .collate(
                                List.of(sample(1, Map.of(), Modality.TEXT)),
                                List.of(
                                        new SampleFeatures(
                                                new int[] {2, 3},
                                                SampleFeatures.NO_IMAGE,
                                                SampleFeatures.NO_AUDIO)));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList image = batch.image(manager);
            assertEquals(new Shape(1, 3, 4, 4), image.get(0).getShape());
            assertArrayEquals(new float[48], image.get(0).toFloatArray());
            assertArrayEquals(new boolean[] {false}, image.get(1).toBooleanArray());
        }
    }

    @Test
    void unknownClassNamesTheLine() {
        Collator collator = new Collator(schema(), TestData.settings(), 0);
        List<Sample> samples =
                List.of(sample(7, Map.of("label", new Label.ClassLabel("emu")), Modality.TEXT));
        List<SampleFeatures> features =
                List.of(
                        new SampleFeatures(
                                new int[] {2, 3},
                                SampleFeatures.NO_IMAGE,
                                SampleFeatures.NO_AUDIO));

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> collator.collate(samples, features));

        assertEquals(
                "/data/set/manifest.jsonl:7: class 'emu' of head 'label' is not among the training"
                        + " classes [cat, dog]",
                e.getMessage());
    }
}
