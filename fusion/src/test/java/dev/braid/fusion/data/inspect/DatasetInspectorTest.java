package dev.braid.fusion.data.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TestData;
import dev.braid.vision.image.DecodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInspectorTest {

    @TempDir Path tmp;

    private final DatasetInspector inspector = new DatasetInspector(DecodeOptions.defaults());

    @Test
    void everyProblemIsReportedWithItsLineAndTheValidRowsAreStillProfiled() throws Exception {
        TestData.png(tmp, "a.png", 1, 2, 3);
        TestData.manifest(
                tmp,
                "{\"id\": \"a\", \"image\": \"a.png\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"b\", \"image\": \"missing.png\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"c\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"d\", \"text\": \"hi\", \"label\": \"x\", \"split\": \"nope\"}");

        DatasetInspection d = inspector.inspect(Manifest.check(tmp));

        assertEquals(3, d.problems().size(), d.problems().toString());
        assertTrue(d.problems().get(0).contains(":2: field 'image': file 'missing.png' not found"));
        assertTrue(
                d.problems().get(1).contains(":3: field 'text/image/audio': row has no modality"));
        assertTrue(d.problems().get(2).contains(":4: field 'split'"));
        assertEquals(1, d.rows());
        assertEquals(1, d.splits().get("train").images().count());
    }

    @Test
    void aCorruptImageAndABrokenClipAreUnreadableNamingTheFile() throws Exception {
        TestData.png(tmp, "good.png", 1, 2, 3);
        Files.write(tmp.resolve("bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(tmp.resolve("bad.wav"), "RIFF but not really");
        TestData.manifest(
                tmp,
                "{\"id\": \"a\", \"image\": \"good.png\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"b\", \"image\": \"bad.png\", \"audio\": \"bad.wav\", \"label\": \"x\","
                        + " \"split\": \"train\"}");

        SplitProfile train = inspector.inspect(Manifest.check(tmp)).splits().get("train");

        assertEquals(2, train.images().count());
        assertEquals(1, train.images().unreadable().size());
        assertTrue(
                train.images()
                        .unreadable()
                        .get(0)
                        .startsWith(tmp.resolve("bad.png").toRealPath() + ": "));
        assertEquals(1, train.audio().unreadable().size());
        assertTrue(
                train.audio()
                        .unreadable()
                        .get(0)
                        .startsWith(tmp.resolve("bad.wav").toRealPath() + ": "));
    }

    @Test
    void aFileInTwoSplitsIsLeakageEvenAsACopy() throws Exception {
        TestData.png(tmp, "a.png", 1, 2, 3);
        TestData.png(tmp, "copy-of-a.png", 1, 2, 3);
        TestData.png(tmp, "b.png", 9, 9, 9);
        TestData.manifest(
                tmp,
                "{\"id\": \"a\", \"image\": \"a.png\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"b\", \"image\": \"b.png\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"t\", \"image\": \"copy-of-a.png\", \"label\": \"x\", \"split\": \"test\"}");

        List<Leak> leaks = inspector.inspect(Manifest.check(tmp)).leakage();

        assertEquals(1, leaks.size());
        assertEquals(2, leaks.get(0).files().size());
        assertEquals(2, leaks.get(0).rows().size());
        assertTrue(
                leaks.get(0).rows().get(0).startsWith("train: a ("),
                leaks.get(0).rows().toString());
        assertTrue(
                leaks.get(0).rows().get(1).startsWith("test: t ("), leaks.get(0).rows().toString());
    }

    @Test
    void rowsWithTheSameInputsAndLabelsAreDuplicates() throws Exception {
        TestData.manifest(
                tmp,
                "{\"id\": \"a\", \"text\": \"same\", \"label\": \"x\", \"split\": \"train\"}",
                "{\"id\": \"b\", \"text\": \"same\", \"label\": \"x\", \"split\": \"val\"}",
                "{\"id\": \"c\", \"text\": \"same\", \"label\": \"y\", \"split\": \"train\"}");

        List<List<String>> groups = inspector.inspect(Manifest.check(tmp)).duplicates();

        assertEquals(1, groups.size());
        assertEquals(2, groups.get(0).size());
        assertTrue(groups.get(0).get(0).startsWith("a ("));
        assertTrue(groups.get(0).get(1).startsWith("b ("));
    }

    @Test
    void labelCountsShowAnUnbalancedClassAndCoverageCountsModalities() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            lines.add(
                    "{\"id\": \"c"
                            + i
                            + "\", \"text\": \"cat "
                            + i
                            + "\", \"label\": \"cat\", \"split\": \"train\"}");
        }
        TestData.silentWav(tmp, "d.wav", 800);
        lines.add(
                "{\"id\": \"d\", \"text\": \"dog\", \"audio\": \"d.wav\", \"label\": \"dog\", \"split\": \"train\"}");
        TestData.manifest(tmp, lines.toArray(String[]::new));

        SplitProfile train = inspector.inspect(Manifest.check(tmp)).splits().get("train");

        assertEquals(Map.of("cat", 9, "dog", 1), train.labels().get("label"));
        assertEquals(Map.of("text", 10, "audio", 1), train.modalities());
        assertEquals(Map.of("text", 9, "text+audio", 1), train.combinations());
        assertEquals(Map.of("Latin", 10), train.text().scripts());
        assertEquals(0.1, train.audio().seconds().max(), 1e-9);
        assertEquals(Map.of("8000 Hz", 1), train.audio().sampleRates());
    }

    @Test
    void colourPhotosOf96PixelsGiveColourImagesCappedAt64() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestData.png(tmp, i + ".png", 96, 96, false);
            lines.add(
                    "{\"id\": \"r"
                            + i
                            + "\", \"image\": \""
                            + i
                            + ".png\", \"label\": \"x\", \"split\": \"train\"}");
        }
        TestData.manifest(tmp, lines.toArray(String[]::new));

        FittedFeatures f = inspector.fit(Manifest.read(tmp).entries(Split.TRAIN), 0);

        assertEquals(64, f.imageSize());
        assertEquals(3, f.imageChannels());
    }

    @Test
    void grayDigitsKeepTheirSizeAndOneChannelEvenStoredAsRgb() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestData.png(tmp, "g" + i + ".png", 28, 30, true);
            lines.add(
                    "{\"id\": \"g"
                            + i
                            + "\", \"image\": \"g"
                            + i
                            + ".png\", \"label\": \"x\", \"split\": \"train\"}");
        }
        TestData.png(tmp, "rgb-gray.png", 77, 77, 77); // 8 x 8, gray content in three channels
        lines.add(
                "{\"id\": \"rgb\", \"image\": \"rgb-gray.png\", \"label\": \"x\", \"split\": \"train\"}");
        TestData.manifest(tmp, lines.toArray(String[]::new));

        FittedFeatures f = inspector.fit(Manifest.read(tmp).entries(Split.TRAIN), 0);

        assertEquals(28, f.imageSize()); // the shorter side
        assertEquals(1, f.imageChannels());
    }

    @Test
    void audioAndTextSettingsFollowTheirLengths() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // 0.2 s .. 4.0 s at 8 kHz: the 95th percentile is 3.8 s
            TestData.silentWav(tmp, i + ".wav", 1600 * (i + 1));
            String text = "word ".repeat(i + 1).strip();
            lines.add(
                    "{\"id\": \"r"
                            + i
                            + "\", \"text\": \""
                            + text
                            + "\", \"audio\": \""
                            + i
                            + ".wav\", \"label\": \"x\", \"split\": \"train\"}");
        }
        TestData.manifest(tmp, lines.toArray(String[]::new));
        List<ManifestEntry> train = Manifest.read(tmp).entries(Split.TRAIN);

        FittedFeatures f = inspector.fit(train, 0);

        assertEquals(4.0, f.audioMaxSeconds());
        assertEquals(400, f.audioMaxFrames()); // 100 frames a second at the 16 kHz log-mel defaults
        // "word" and " word" are learned as single tokens, so a text of n words is n + 2 tokens:
        // the 95th percentile of 3..22 is 21, rounded up to 24
        assertEquals(24, f.textMaxLength());
        assertTrue(
                f.vocabularySize() < 300,
                "a tiny corpus, a tiny vocabulary: " + f.vocabularySize());
        FittedFeatures given = inspector.fit(train, 500);
        assertEquals(500, given.vocabularySize());
    }
}
