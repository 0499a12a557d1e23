package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.braid.fusion.Modality;
import dev.braid.fusion.predict.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Head kinds are values like modalities; a plug-in kind is declared, inferred and collated. */
class HeadKindPluginTest {

    /** Ranks 0..K-1 as K-1 "rank > j" numbers; only what the schema and the collator use. */
    static final class RankHead implements HeadKindPlugin {
        static final HeadKind RANK = HeadKind.custom("rank");

        @Override
        public HeadKind kind() {
            return RANK;
        }

        @Override
        public void check(Label label) {
            if (!(label instanceof Label.NumericLabel n) || n.value() < 0 || n.value() % 1 != 0) {
                throw new IllegalArgumentException("a rank must be a whole number");
            }
        }

        @Override
        public List<String> classes(List<Label> labels) {
            int k = 1 + labels.stream().mapToInt(RankHead::rank).max().orElse(0);
            return IntStream.range(0, k).mapToObj(String::valueOf).toList();
        }

        @Override
        public int outputs(List<String> classes) {
            return classes.size() - 1;
        }

        @Override
        public HeadTargets targets(HeadSpec head, List<Label> labels) {
            int w = head.outputs();
            float[] values = new float[labels.size() * w];
            boolean[] present = new boolean[labels.size()];
            for (int b = 0; b < labels.size(); b++) {
                if (labels.get(b) != null) {
                    if (rank(labels.get(b)) > w) {
                        throw new IllegalArgumentException(
                                "rank " + rank(labels.get(b)) + " > " + w);
                    }
                    for (int j = 0; j < rank(labels.get(b)); j++) {
                        values[b * w + j] = 1;
                    }
                    present[b] = true;
                }
            }
            return new HeadTargets.Rows(RANK, w, values, present);
        }

        @Override
        public NDArray loss(NDArray logits, NDList targets) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Double> metrics(
                HeadSpec head, List<float[]> outputs, List<float[]> targets) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Prediction.HeadPrediction answer(HeadSpec head, float[] outputs) {
            throw new UnsupportedOperationException();
        }

        private static int rank(Label label) {
            return (int) ((Label.NumericLabel) label).value();
        }
    }

    @TempDir Path tmp;

    @BeforeAll
    static void register() {
        HeadKindPlugins.register(new RankHead());
    }

    @Test
    void kindsAreOrderedValuesReadInAnyCase() {
        assertSame(HeadKind.REGRESSION, HeadKind.valueOf("regression"));
        assertSame(RankHead.RANK, HeadKind.valueOf("Rank"));
        assertEquals(
                List.of(
                        HeadKind.CLASSIFICATION,
                        HeadKind.MULTI_LABEL,
                        HeadKind.REGRESSION,
                        HeadKind.GENERATION,
                        RankHead.RANK),
                HeadKind.values().stream().sorted().toList());
        assertTrue(HeadKind.MULTI_LABEL.builtIn());
        assertFalse(RankHead.RANK.builtIn());
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> HeadKind.valueOf("ORDINAL"));
        assertTrue(unknown.getMessage().contains("HeadKindPlugins.register"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeadKind.custom("regression"));
        assertThrows(IllegalArgumentException.class, () -> HeadKind.custom("9lives"));
    }

    @Test
    void aDeclaredPluginHeadTakesItsClassesAndWidthFromThePlugin() throws Exception {
        Dataset set =
                Manifest.read(
                        TestData.manifest(
                                tmp.resolve("a"),
                                "{\"id\": \"1\", \"text\": \"t\", \"label\": {\"level\": 2, \"score\":"
                                        + " 0.5}, \"split\": \"train\"}",
                                "{\"id\": \"2\", \"text\": \"t\", \"label\": {\"level\": 0},"
                                        + " \"split\": \"train\"}"));

        TaskSchema schema = TaskSchema.infer(List.of(set), Map.of("level", RankHead.RANK));

        assertEquals(
                new HeadSpec("level", RankHead.RANK, List.of("0", "1", "2")), schema.head("level"));
        assertEquals(2, schema.head("level").outputs());
        assertEquals(HeadKind.REGRESSION, schema.head("score").kind(), "undeclared: by JSON type");
        assertEquals(schema, TaskSchema.fromJson(schema.toJson()));
        assertTrue(schema.toJson().contains("\"RANK\""), schema.toJson());
    }

    @Test
    void aLabelThePluginRefusesNamesTheLineAndTheHead() throws Exception {
        Path dir =
                TestData.manifest(
                        tmp.resolve("a"),
                        "{\"id\": \"1\", \"text\": \"t\", \"label\": {\"level\": 1}, \"split\": \"train\"}",
                        "{\"id\": \"2\", \"text\": \"t\", \"label\": {\"level\": \"high\"},"
                                + " \"split\": \"train\"}");
        Dataset set = Manifest.read(dir);

        ManifestException e =
                assertThrows(
                        ManifestException.class,
                        () -> TaskSchema.infer(List.of(set), Map.of("level", RankHead.RANK)));

        String manifest = dir.toRealPath().resolve("manifest.jsonl").toString();
        assertTrue(
                e.getMessage()
                        .startsWith(
                                manifest
                                        + ":2: field 'label.level': head 'level' (RANK): a rank"
                                        + " must be a whole number"),
                e.getMessage());
    }

    @Test
    void aDeclaredHeadMustBeLabelledAndMatchABuiltInKind() throws Exception {
        Path dir =
                TestData.manifest(
                        tmp.resolve("a"),
                        "{\"id\": \"1\", \"text\": \"t\", \"label\": {\"level\": 1}, \"split\": \"train\"}");
        Dataset set = Manifest.read(dir);

        IllegalArgumentException none =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TaskSchema.infer(List.of(set), Map.of("grade", RankHead.RANK)));
        assertTrue(none.getMessage().contains("head 'grade' is declared RANK"), none.getMessage());
        ManifestException wrong =
                assertThrows(
                        ManifestException.class,
                        () ->
                                TaskSchema.infer(
                                        List.of(set), Map.of("level", HeadKind.CLASSIFICATION)));
        assertTrue(
                wrong.getMessage()
                        .contains(
                                ":1: field 'label.level': head 'level' is REGRESSION here but"
                                        + " CLASSIFICATION as the run declares it"),
                wrong.getMessage());
    }

    @Test
    void theCollatorMakesThePluginsTargetsAndNamesARowThatDoesNotFit() {
        TaskSchema schema =
                new TaskSchema(
                        new TreeMap<>(
                                Map.of(
                                        "level",
                                        new HeadSpec(
                                                "level", RankHead.RANK, List.of("0", "1", "2")))));
        Collator collator = new Collator(schema, TestData.settings(), 0);
        List<Sample> samples = new ArrayList<>();
        for (double rank : new double[] {2, -1, 1}) {
            Map<String, Label> labels =
                    rank < 0 ? Map.of() : Map.of("level", new Label.NumericLabel(rank));
            samples.add(sample(samples.size() + 1, labels));
        }
        HeadTargets.Rows targets =
                (HeadTargets.Rows) collator.collate(samples, text(3)).targets().get("level");
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 0}, targets.values());
        assertArrayEquals(new boolean[] {true, false, true}, targets.present());
        assertArrayEquals(new float[] {1, 0}, targets.row(2));

        List<Sample> tooHigh =
                List.of(
                        sample(1, Map.of("level", new Label.NumericLabel(1))),
                        sample(2, Map.of("level", new Label.NumericLabel(5))));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> collator.collate(tooHigh, text(2)));
        assertEquals("/data/set/manifest.jsonl:2: head 'level' (RANK): rank 5 > 2", e.getMessage());
    }

    private static Sample sample(int line, Map<String, Label> labels) {
        return new Sample(
                0,
                new ManifestEntry(
                        Path.of("/data/set/manifest.jsonl"),
                        line,
                        "id" + line,
                        Map.of(Modality.TEXT, "t"),
                        labels,
                        Split.TRAIN));
    }

    private static List<SampleFeatures> text(int n) {
        List<SampleFeatures> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(
                    new SampleFeatures(
                            new int[] {2, 3}, SampleFeatures.NO_IMAGE, SampleFeatures.NO_AUDIO));
        }
        return out;
    }
}
