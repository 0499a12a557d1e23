package dev.braid.fusion.data.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.ManifestCheck;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.ManifestException;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLayoutTest {

    @TempDir Path tmp;

    @Test
    void aCsvTableBecomesRowsWithPathsRelativeToItsFolder() throws Exception {
        TestData.png(tmp, "img/a.png", 10, 20, 30);
        TestData.silentWav(tmp, "snd/a.wav", 800);
        Path csv =
                write(
                        "tickets.csv",
                        "id,text,image,audio,label,split",
                        "a,\"broken, sadly\",img/a.png,snd/a.wav,refund,train",
                        "b,hello,,,other,test");

        Dataset data = DatasetLayout.read(csv);

        assertEquals("tickets", data.name());
        ManifestEntry a = data.entries().get(0);
        assertEquals("broken, sadly", a.inputs().get(Modality.TEXT));
        assertEquals(
                tmp.resolve("img/a.png").toRealPath().toString(), a.inputs().get(Modality.IMAGE));
        assertEquals(
                tmp.resolve("snd/a.wav").toRealPath().toString(), a.inputs().get(Modality.AUDIO));
        assertEquals(new Label.ClassLabel("refund"), a.labels().get(Label.DEFAULT_HEAD));
        assertEquals(csv.toString(), a.manifest().toString());
        assertEquals(2, a.line());
        ManifestEntry b = data.entries().get(1);
        assertEquals(Split.TEST, b.split());
        assertEquals(Map.of(Modality.TEXT, "hello"), b.inputs());
        assertEquals(3, b.line());
    }

    @Test
    void aTsvTableWithHeadColumnsGivesNamedLabelsAndLineIds() throws Exception {
        Path tsv =
                write(
                        "t.tsv",
                        "text\tlabel.intent\tlabel.urgency\tsplit",
                        "refund me\trefund\thigh\ttrain",
                        "",
                        "where is it\tdelivery\tlow\tval");

        Dataset data = DatasetLayout.read(tsv);

        ManifestEntry first = data.entries().get(0);
        assertEquals("line-2", first.id());
        assertEquals(new Label.ClassLabel("refund"), first.labels().get("intent"));
        assertEquals(new Label.ClassLabel("high"), first.labels().get("urgency"));
        assertEquals("line-4", data.entries().get(1).id());
        assertEquals(4, data.entries().get(1).line());
    }

    @Test
    void tableProblemsNameTheFileLineAndColumn() throws Exception {
        Path csv =
                write(
                        "bad.csv",
                        "text,imgae,label,split",
                        "hi,x.png,a,train",
                        "there,,b,nope",
                        ",,c,train");

        ManifestCheck check = DatasetLayout.check(csv, StratifiedSplit.defaults());

        List<String> problems = check.problems().stream().map(Object::toString).toList();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).startsWith(csv + ":1: field 'imgae': unknown column"),
                problems.get(0));
        assertTrue(problems.get(1).startsWith(csv + ":3: field 'split'"), problems.get(1));
        assertTrue(
                problems.get(2).startsWith(csv + ":4: field 'text/image/audio'"), problems.get(2));
        ManifestException e = assertThrows(ManifestException.class, check::dataset);
        assertEquals(3, e.problems().size());
    }

    @Test
    void classFoldersPairFilesByNameAndTakeSplitsFromTheirFolders() throws Exception {
        Path root = tmp.resolve("pets");
        TestData.png(root, "train/cat/001.png", 10, 20, 30);
        TestData.silentWav(root, "train/cat/001.wav", 800);
        Files.writeString(root.resolve("train/cat/001.txt"), " meow \n", StandardCharsets.UTF_8);
        TestData.png(root, "train/dog/001.png", 1, 2, 3);
        TestData.png(root, "test/dog/002.png", 1, 2, 3);
        Files.writeString(root.resolve("README.md"), "not a sample");

        Dataset data = DatasetLayout.read(root);

        Map<String, ManifestEntry> byId =
                data.entries().stream().collect(Collectors.toMap(ManifestEntry::id, e -> e));
        assertEquals(
                List.of("test/dog/002", "train/cat/001", "train/dog/001"),
                byId.keySet().stream().sorted().toList());
        ManifestEntry cat = byId.get("train/cat/001");
        assertEquals("meow", cat.inputs().get(Modality.TEXT));
        assertEquals(3, cat.inputs().size());
        assertEquals(new Label.ClassLabel("cat"), cat.labels().get(Label.DEFAULT_HEAD));
        assertEquals(Split.TRAIN, cat.split());
        assertEquals(Split.TEST, byId.get("test/dog/002").split());
    }

    @Test
    void aStrayFileAndMixedFoldersAreProblemsNamingThem() throws Exception {
        Path root = tmp.resolve("mixed");
        TestData.png(root, "cat/001.png", 10, 20, 30);
        Files.writeString(root.resolve("cat/notes.doc"), "x");
        ManifestCheck stray = DatasetLayout.check(root, StratifiedSplit.defaults());
        assertEquals(1, stray.problems().size());
        assertTrue(
                stray.problems()
                        .get(0)
                        .toString()
                        .startsWith(root.resolve("cat/notes.doc").toRealPath() + ":"));

        TestData.png(root, "train/cat/002.png", 10, 20, 30);
        ManifestCheck mixed = DatasetLayout.check(root, StratifiedSplit.defaults());
        assertTrue(
                mixed.problems().get(0).reason().contains("mixes split folders"),
                mixed.problems().toString());
    }

    @Test
    void rowsWithoutASplitGetASeededSplitThatKeepsEachClassShare() throws Exception {
        Path root = tmp.resolve("classes");
        for (int i = 0; i < 60; i++) {
            Files.createDirectories(root.resolve("common"));
            Files.writeString(root.resolve("common/" + i + ".txt"), "c" + i);
        }
        for (int i = 0; i < 20; i++) {
            Files.createDirectories(root.resolve("rare"));
            Files.writeString(root.resolve("rare/" + i + ".txt"), "r" + i);
        }

        Dataset data = DatasetLayout.read(root);

        assertEquals(48, count(data, "common", Split.TRAIN));
        assertEquals(6, count(data, "common", Split.VAL));
        assertEquals(6, count(data, "common", Split.TEST));
        assertEquals(16, count(data, "rare", Split.TRAIN));
        assertEquals(2, count(data, "rare", Split.VAL));
        assertEquals(2, count(data, "rare", Split.TEST));
        assertEquals(splits(data), splits(DatasetLayout.read(root)), "same seed, same split");
        Dataset other = DatasetLayout.check(root, new StratifiedSplit(0.1, 0.1, 7)).dataset();
        assertTrue(!splits(data).equals(splits(other)), "another seed, another split");
    }

    @Test
    void somethingElseIsNotADataset() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        ManifestException e =
                assertThrows(
                        ManifestException.class, () -> DatasetLayout.read(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("is not a dataset"), e.getMessage());
    }

    private static long count(Dataset data, String label, Split split) {
        return data.entries(split).stream()
                .filter(e -> e.labels().get(Label.DEFAULT_HEAD).equals(new Label.ClassLabel(label)))
                .count();
    }

    private static Map<String, Split> splits(Dataset data) {
        return data.entries().stream()
                .collect(Collectors.toMap(ManifestEntry::id, ManifestEntry::split));
    }

    private Path write(String name, String... lines) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
