package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSchemaTest {

    @TempDir Path tmp;

    @Test
    void infersHeadsKindsAndSortedClassesFromTrainingRowsOfAllDatasets() throws Exception {
        Dataset first =
                Manifest.read(
                        TestData.manifest(
                                tmp.resolve("a"),
                                "{\"id\": \"1\", \"text\": \"t\", \"label\": \"dog\", \"split\": \"train\"}",
                                "{\"id\": \"2\", \"text\": \"t\", \"label\": \"cat\", \"split\": \"train\"}",
                                "{\"id\": \"3\", \"text\": \"t\", \"label\": \"emu\", \"split\": \"val\"}",
                                "{\"id\": \"4\", \"text\": \"t\", \"split\": \"train\"}"));
        Dataset second =
                Manifest.read(
                        TestData.manifest(
                                tmp.resolve("b"),
                                "{\"id\": \"1\", \"text\": \"t\", \"label\": {\"label\": \"ant\","
                                        + " \"tags\": [\"z\", \"b\"], \"score\": 1}, \"split\": \"train\"}",
                                "{\"id\": \"2\", \"text\": \"t\", \"label\": {\"tags\": [\"b\","
                                        + " \"c\"]}, \"split\": \"train\"}"));

        TaskSchema schema = TaskSchema.infer(List.of(first, second));

        Map<String, HeadSpec> expected = new TreeMap<>();
        expected.put(
                "label",
                new HeadSpec("label", HeadKind.CLASSIFICATION, List.of("ant", "cat", "dog")));
        expected.put("score", new HeadSpec("score", HeadKind.REGRESSION, List.of()));
        expected.put("tags", new HeadSpec("tags", HeadKind.MULTI_LABEL, List.of("b", "c", "z")));
        assertEquals(expected, schema.heads());
        assertEquals(List.of("label", "score", "tags"), List.copyOf(schema.heads().keySet()));
        assertEquals(1, schema.head("label").indexOf("cat"));
        assertEquals(-1, schema.head("label").indexOf("emu"), "val classes are not in the schema");
        assertEquals(1, schema.head("score").outputs());
    }

    @Test
    void conflictingKindsNameLineAndHead() throws Exception {
        Path dir =
                TestData.manifest(
                        tmp.resolve("a"),
                        "{\"id\": \"1\", \"text\": \"t\", \"label\": {\"q\": \"x\"}, \"split\": \"train\"}",
                        "{\"id\": \"2\", \"text\": \"t\", \"label\": {\"q\": 3}, \"split\": \"train\"}");
        Dataset set = Manifest.read(dir);

        ManifestException e =
                assertThrows(ManifestException.class, () -> TaskSchema.infer(List.of(set)));

        String manifest = dir.toRealPath().resolve("manifest.jsonl").toString();
        assertTrue(
                e.getMessage()
                        .startsWith(
                                manifest
                                        + ":2: field 'label.q': head 'q' is REGRESSION here but"
                                        + " CLASSIFICATION at "
                                        + manifest
                                        + ":1"),
                e.getMessage());
    }

    @Test
    void noLabelsIsAnError() throws Exception {
        Dataset set =
                Manifest.read(
                        TestData.manifest(
                                tmp.resolve("a"),
                                "{\"id\": \"1\", \"text\": \"t\", \"split\": \"train\"}"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TaskSchema.infer(List.of(set)));

        assertTrue(e.getMessage().contains("heads must not be empty"), e.getMessage());
    }

    @Test
    void aSchemaSavedBeforeHeadsCarriedTheirNamesStillReads() {
        TaskSchema schema =
                TaskSchema.fromJson(
                        "{\"heads\": {\"label\": {\"kind\": \"CLASSIFICATION\", \"classes\": [\"a\", \"b\"]}}}");
        assertEquals(
                new HeadSpec("label", HeadKind.CLASSIFICATION, List.of("a", "b")),
                schema.head("label"));
    }

    @Test
    void jsonRoundTrip() throws Exception {
        Map<String, HeadSpec> heads = new TreeMap<>();
        heads.put("label", new HeadSpec("label", HeadKind.CLASSIFICATION, List.of("a", "b")));
        heads.put("score", new HeadSpec("score", HeadKind.REGRESSION, List.of()));
        heads.put("tags", new HeadSpec("tags", HeadKind.MULTI_LABEL, List.of("x")));
        TaskSchema schema = new TaskSchema(new TreeMap<>(heads));

        Path file = tmp.resolve("schema.json");
        schema.write(file);

        assertEquals(schema, TaskSchema.read(file));
        assertEquals(schema, TaskSchema.fromJson(schema.toJson()));
        assertTrue(schema.toJson().contains("\"kind\" : \"MULTI_LABEL\""), schema.toJson());
    }

    @Test
    void rejectsInvalidJson() {
        String unsorted =
                "{\"heads\": {\"l\": {\"kind\": \"CLASSIFICATION\", \"classes\": [\"b\", \"a\"]}}}";

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TaskSchema.fromJson(unsorted));

        assertTrue(e.getMessage().contains("must be sorted and distinct"), e.getMessage());
    }
}
