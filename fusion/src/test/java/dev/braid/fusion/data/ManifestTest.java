package dev.braid.fusion.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestTest {

    @TempDir Path tmp;

    private static final String GOOD = "{\"id\": \"ok\", \"text\": \"hi\", \"split\": \"train\"}";

    @Test
    void readsEveryModalityAndLabelKind() throws Exception {
        Path dir = tmp.resolve("set");
        TestData.png(dir, "images/a.png", 255, 0, 0);
        TestData.silentWav(dir, "audio/a.wav", 400);
        TestData.manifest(
                dir,
                "{\"id\": \"a\", \"text\": \"hello\", \"image\": \"images/a.png\", \"audio\":"
                        + " \"audio/a.wav\", \"label\": \"cat\", \"split\": \"train\"}",
                "",
                "{\"id\": \"b\", \"image\": \"images/a.png\", \"label\": [\"red\", \"round\"],"
                        + " \"split\": \"val\"}",
                "{\"id\": \"c\", \"audio\": \"./audio/../audio/a.wav\", \"label\": 2.5, \"split\":"
                        + " \"test\"}",
                "{\"id\": \"d\", \"text\": \"x\", \"label\": {\"topic\": \"sport\", \"score\":"
                        + " 0.7, \"tags\": []}, \"split\": \"train\"}",
                "{\"id\": \"e\", \"text\": \"\", \"meta\": {\"speaker\": \"m3\"}, \"label\": null, \"image\": null, \"split\":"
                        + " \"train\"}");

        Dataset set = Manifest.read(dir);

        Path real = dir.toRealPath();
        assertEquals("set", set.name());
        assertEquals(real, set.dir());
        assertEquals(5, set.entries().size());
        ManifestEntry a = set.entries().get(0);
        assertEquals(1, a.line());
        assertEquals("a", a.id());
        assertEquals(Split.TRAIN, a.split());
        assertEquals(
                Map.of(
                        Modality.TEXT, "hello",
                        Modality.IMAGE, real.resolve("images/a.png").toString(),
                        Modality.AUDIO, real.resolve("audio/a.wav").toString()),
                a.inputs());
        assertEquals(
                List.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO),
                List.copyOf(a.inputs().keySet()));
        assertEquals(Map.of("label", new Label.ClassLabel("cat")), a.labels());

        ManifestEntry b = set.entries().get(1);
        assertEquals(3, b.line(), "the blank line 2 is skipped but counted");
        assertEquals(Split.VAL, b.split());
        assertEquals(Map.of("label", new Label.MultiLabel(List.of("red", "round"))), b.labels());

        ManifestEntry c = set.entries().get(2);
        assertEquals(Split.TEST, c.split());
        assertEquals(Map.of(Modality.AUDIO, real.resolve("audio/a.wav").toString()), c.inputs());
        assertEquals(Map.of("label", new Label.NumericLabel(2.5)), c.labels());

        ManifestEntry d = set.entries().get(3);
        assertEquals(
                Map.of(
                        "topic", new Label.ClassLabel("sport"),
                        "score", new Label.NumericLabel(0.7),
                        "tags", new Label.MultiLabel(List.of())),
                d.labels());

        ManifestEntry e = set.entries().get(4);
        assertEquals(Map.of(Modality.TEXT, ""), e.inputs());
        assertTrue(e.labels().isEmpty(), "unlabeled row");
        assertEquals(List.of(a, d, e), set.entries(Split.TRAIN));
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                Arguments.of(
                        "{\"id\": \"x\", \"text\": \"hi\", \"split\": \"train\"",
                        "(json)",
                        "bad JSON"),
                Arguments.of("[1, 2]", "(json)", "one JSON object"),
                Arguments.of("{\"text\": \"hi\", \"split\": \"train\"}", "id", "missing"),
                Arguments.of(
                        "{\"id\": \"ok\", \"text\": \"hi\", \"split\": \"train\"}",
                        "id",
                        "duplicate id 'ok', first used on line 1"),
                Arguments.of(
                        "{\"id\": \" \", \"text\": \"hi\", \"split\": \"train\"}", "id", "blank"),
                Arguments.of(
                        "{\"id\": 7, \"text\": \"hi\", \"split\": \"train\"}",
                        "id",
                        "must be a string"),
                Arguments.of(
                        "{\"id\": \"x\", \"text\": \"hi\", \"split\": \"dev\"}",
                        "split",
                        "unknown split \"dev\"; allowed: \"train\", \"val\", \"test\""),
                Arguments.of("{\"id\": \"x\", \"text\": \"hi\"}", "split", "missing"),
                Arguments.of(
                        "{\"id\": \"x\", \"image\": \"images/nope.png\", \"split\": \"train\"}",
                        "image",
                        "not found"),
                Arguments.of(
                        "{\"id\": \"x\", \"image\": \"../outside.png\", \"split\": \"train\"}",
                        "image",
                        "escapes the dataset folder"),
                Arguments.of(
                        "{\"id\": \"x\", \"audio\": \"audio/../../outside.png\", \"split\": \"train\"}",
                        "audio",
                        "escapes the dataset folder"),
                Arguments.of(
                        "{\"id\": \"x\", \"image\": \"/etc/passwd\", \"split\": \"train\"}",
                        "image",
                        "is absolute"),
                Arguments.of(
                        "{\"id\": \"x\", \"image\": \"link.png\", \"split\": \"train\"}",
                        "image",
                        "escapes the dataset folder"),
                Arguments.of(
                        "{\"id\": \"x\", \"image\": \"images\", \"split\": \"train\"}",
                        "image",
                        "not a regular file"),
                Arguments.of(
                        "{\"id\": \"x\", \"image\": 3, \"split\": \"train\"}",
                        "image",
                        "must be a relative path string"),
                Arguments.of(
                        "{\"id\": \"x\", \"text\": 5, \"split\": \"train\"}",
                        "text",
                        "must be a string, found number 5"),
                Arguments.of(
                        "{\"id\": \"x\", \"split\": \"train\"}", "text/image/audio", "no modality"),
                Arguments.of(
                        "{\"id\": \"x\", \"text\": \"hi\", \"label\": true, \"split\": \"train\"}",
                        "label",
                        "found boolean true"),
                Arguments.of(
                        "{\"id\": \"x\", \"text\": \"hi\", \"label\": [\"a\", 1], \"split\": \"train\"}",
                        "label",
                        "non-blank strings"),
                Arguments.of(
                        "{\"id\": \"x\", \"text\": \"hi\", \"label\": {\"t\": {\"u\": 1}}, \"split\": \"train\"}",
                        "label.t",
                        "found object"),
                Arguments.of(
                        "{\"id\": \"x\", \"text\": \"hi\", \"label\": \"\", \"split\": \"train\"}",
                        "label",
                        "blank"),
                Arguments.of(
                        "{\"id\": \"x\", \"imgae\": \"images/a.png\", \"text\": \"hi\", \"split\": \"train\"}",
                        "imgae",
                        "unknown field"));
    }

    @ParameterizedTest
    @MethodSource("badRows")
    void reportsLineAndField(String row, String field, String reason) throws Exception {
        Path dir = tmp.resolve("set");
        TestData.png(dir, "images/a.png", 0, 0, 0);
        TestData.png(tmp, "outside.png", 0, 0, 0);
        Files.createSymbolicLink(dir.resolve("link.png"), tmp.resolve("outside.png"));
        TestData.manifest(dir, GOOD, row);

        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(dir));

        String manifest = dir.toRealPath().resolve("manifest.jsonl").toString();
        String expectedStart = manifest + ":2: field '" + field + "': ";
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(2, e.problems().get(0).line());
        assertEquals(field, e.problems().get(0).field());
    }

    @Test
    void reportsAllProblemsUpToTheLimit() throws Exception {
        Path dir = tmp.resolve("set");
        String[] lines = new String[30];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "{\"id\": \"r" + i + "\", \"text\": \"hi\", \"split\": \"nope\"}";
        }
        lines[0] = "{\"id\": \"r0\", \"text\": 1, \"split\": \"train\"}";
        TestData.manifest(dir, lines);

        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(dir));

        assertEquals(Manifest.MAX_ERRORS, e.problems().size());
        assertEquals(1, e.problems().get(0).line());
        assertEquals("text", e.problems().get(0).field());
        assertEquals(2, e.problems().get(1).line());
        assertEquals("split", e.problems().get(1).field());
        String[] message = e.getMessage().split("\n");
        assertEquals(Manifest.MAX_ERRORS + 1, message.length);
        assertEquals(
                "... and 10 more problems; braid inspect lists them all",
                message[message.length - 1]);
        assertEquals(30, Manifest.check(dir).problems().size());
    }

    @Test
    void twoProblemsOnOneRowAreBothReported() throws Exception {
        Path dir = tmp.resolve("set");
        TestData.manifest(dir, "{\"id\": \"\", \"text\": 1, \"split\": \"train\"}");

        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(dir));

        assertEquals(
                List.of("id", "text"),
                e.problems().stream().map(ManifestException.Problem::field).toList());
    }

    @Test
    void skipsAByteOrderMark() throws Exception {
        Path dir = TestData.manifest(tmp.resolve("set"), "\uFEFF" + GOOD);

        assertEquals("ok", Manifest.read(dir).entries().get(0).id());
    }

    @Test
    void emptyManifestIsAnError() throws Exception {
        Path dir = tmp.resolve("set");
        TestData.manifest(dir, "", "  ");

        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(dir));

        assertTrue(e.getMessage().contains("has no rows"), e.getMessage());
    }

    @Test
    void missingManifestIsAnError() {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.read(tmp));

        assertTrue(e.getMessage().contains("manifest.jsonl cannot be read"), e.getMessage());
    }
}
