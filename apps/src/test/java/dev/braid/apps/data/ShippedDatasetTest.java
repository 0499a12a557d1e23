package dev.braid.apps.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The AV-MNIST-style dataset shipped in {@code data/avmnist} (clean) and {@code data/avmnist-hard}
 * (hard) is valid: counts, classes, splits, held-out speakers and images, and every referenced file
 * decodes. Regenerate with {@code tools/avmnist/prepare.py}; if the sizes there change, change them
 * here too.
 */
public class ShippedDatasetTest {

    static final Map<String, Integer> SPLIT_SIZES = Map.of("train", 2000, "val", 400, "test", 600);
    static final int ROWS = 3000;
    static final int CLASSES = 10;

    /** Allowed deviation of a class count from an even share, as a fraction of that share. */
    static final double CLASS_TOLERANCE = 0.10;

    static final float SAMPLE_RATE = 16000f;
    static final double MIN_SECONDS = 0.2;
    static final double MAX_SECONDS = 2.5;
    static final long MAX_FILE_BYTES = 5L * 1024 * 1024;

    /** Both settings together, apparent size (sum of file lengths). */
    static final long MAX_TOTAL_BYTES = 20L * 1000 * 1000;

    /**
     * The keys {@code /work/shared/peers/peer_fusion.py} and the Braid loader read on every row.
     */
    static final List<String> REQUIRED_KEYS =
            List.of("id", "text", "image", "audio", "label", "split", "speaker");

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path repoRoot() {
        Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data").resolve("avmnist"))) {
                return p;
            }
        }
        fail("no data/avmnist above " + System.getProperty("user.dir"));
        return null;
    }

    static List<JsonNode> manifest(Path dir) throws IOException {
        Path m = dir.resolve("manifest.jsonl");
        assertTrue(Files.isRegularFile(m), "missing " + m);
        List<JsonNode> rows = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = JSON.readTree(line);
            assertTrue(r.isObject(), m + ":" + n + " is not a JSON object");
            if (r.has("meta")) { // provenance (speaker, image id) lives under meta
                ((com.fasterxml.jackson.databind.node.ObjectNode) r)
                        .setAll((com.fasterxml.jackson.databind.node.ObjectNode) r.get("meta"));
            }
            rows.add(r);
        }
        return rows;
    }

    /** The voice+variant part of a speaker such as {@code en-us+m3/s160/p50}. */
    static String voiceVariant(String speaker) {
        return speaker.substring(0, speaker.indexOf('/'));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"avmnist", "avmnist-hard"})
    void manifestIsValid(String setting) throws IOException {
        Path dir = repoRoot().resolve("data").resolve(setting);
        List<JsonNode> rows = manifest(dir);
        assertEquals(ROWS, rows.size(), "rows");

        Set<String> ids = new HashSet<>();
        Map<String, Integer> splits = new TreeMap<>();
        Map<String, Map<String, Integer>> classesPerSplit = new TreeMap<>();
        Map<String, Set<String>> images = new HashMap<>();
        Map<String, Set<String>> imageIds = new HashMap<>();
        Map<String, Set<String>> audio = new HashMap<>();
        Map<String, Set<String>> speakers = new HashMap<>();
        Map<String, String> labelOfClip = new HashMap<>();
        Set<String> pairs = new HashSet<>();
        for (JsonNode r : rows) {
            for (String k : REQUIRED_KEYS) {
                assertTrue(r.hasNonNull(k) && r.get(k).isTextual(), "row " + r + " lacks " + k);
            }
            String id = r.get("id").asText();
            assertTrue(ids.add(id), "duplicate id " + id);
            assertEquals("", r.get("text").asText(), id + ": this dataset has no text");
            String split = r.get("split").asText();
            assertTrue(SPLIT_SIZES.containsKey(split), id + ": unknown split " + split);
            String label = r.get("label").asText();
            assertTrue(label.matches("[0-9]"), id + ": label " + label);
            splits.merge(split, 1, Integer::sum);
            classesPerSplit
                    .computeIfAbsent(split, s -> new TreeMap<>())
                    .merge(label, 1, Integer::sum);
            images.computeIfAbsent(split, s -> new HashSet<>()).add(r.get("image").asText());
            if (r.hasNonNull("image_id")) {
                imageIds.computeIfAbsent(split, s -> new HashSet<>())
                        .add(r.get("image_id").asText());
            }
            String clip = r.get("audio").asText();
            audio.computeIfAbsent(split, s -> new HashSet<>()).add(clip);
            String speaker = r.get("speaker").asText();
            assertTrue(speaker.matches("[^/]+\\+[^/]+/s\\d+/p\\d+"), id + ": speaker " + speaker);
            speakers.computeIfAbsent(split, s -> new HashSet<>()).add(speaker);
            assertTrue(
                    pairs.add(r.get("image").asText() + "|" + clip),
                    id + ": repeats an (image, audio) pair");
            String before = labelOfClip.putIfAbsent(clip, label);
            assertTrue(before == null || before.equals(label), clip + " used with two labels");
        }

        assertEquals(new TreeMap<>(SPLIT_SIZES), splits, "split sizes");
        for (var e : classesPerSplit.entrySet()) {
            Map<String, Integer> counts = e.getValue();
            assertEquals(CLASSES, counts.size(), e.getKey() + ": classes " + counts.keySet());
            double share = (double) SPLIT_SIZES.get(e.getKey()) / CLASSES;
            for (var c : counts.entrySet()) {
                assertTrue(
                        Math.abs(c.getValue() - share) <= CLASS_TOLERANCE * share,
                        e.getKey() + ": class " + c.getKey() + " has " + c.getValue());
            }
        }

        // Generalisation: val and test images, clips and speakers never occur in train.
        for (String held : List.of("val", "test")) {
            assertDisjoint(images.get("train"), images.get(held), "images train/" + held);
            if (imageIds.containsKey("train")) {
                assertDisjoint(
                        imageIds.get("train"), imageIds.get(held), "image ids train/" + held);
            }
            assertDisjoint(audio.get("train"), audio.get(held), "clips train/" + held);
            assertDisjoint(speakers.get("train"), speakers.get(held), "speakers train/" + held);
            Set<String> trainVoices = new TreeSet<>();
            speakers.get("train").forEach(s -> trainVoices.add(voiceVariant(s)));
            Set<String> heldVoices = new TreeSet<>();
            speakers.get(held).forEach(s -> heldVoices.add(voiceVariant(s)));
            assertDisjoint(trainVoices, heldVoices, "voice+variant train/" + held);
        }
        assertDisjoint(images.get("val"), images.get("test"), "images val/test");
        assertDisjoint(speakers.get("val"), speakers.get("test"), "speakers val/test");
        for (String s : SPLIT_SIZES.keySet()) {
            // Each clip is stored once and reused: fewer clips than rows, one clip per
            // speaker+digit.
            assertTrue(audio.get(s).size() < SPLIT_SIZES.get(s), s + ": clips are not reused");
            assertEquals(speakers.get(s).size() * CLASSES, audio.get(s).size(), s + ": clips");
        }

        Set<String> allImages = new TreeSet<>();
        images.values().forEach(allImages::addAll);
        for (String f : allImages) {
            checkImage(dir, f);
        }
        Set<String> allClips = new TreeSet<>();
        audio.values().forEach(allClips::addAll);
        for (String f : allClips) {
            checkAudio(dir, f);
        }
    }

    /** The hard setting has the same rows as the clean one, only with degraded files. */
    @Test
    void hardSettingMirrorsClean() throws IOException {
        Path data = repoRoot().resolve("data");
        Map<String, String> clean = new LinkedHashMap<>();
        for (JsonNode r : manifest(data.resolve("avmnist"))) {
            clean.put(r.get("id").asText(), key(r));
        }
        Map<String, String> hard = new LinkedHashMap<>();
        for (JsonNode r : manifest(data.resolve("avmnist-hard"))) {
            hard.put(r.get("id").asText(), key(r));
        }
        assertEquals(clean, hard);
    }

    private static String key(JsonNode r) {
        return r.get("label").asText()
                + "|"
                + r.get("split").asText()
                + "|"
                + r.get("speaker").asText();
    }

    @Test
    void shippedCopyIsCompact() throws IOException {
        Path data = repoRoot().resolve("data");
        long total = 0;
        for (String setting : List.of("avmnist", "avmnist-hard")) {
            try (Stream<Path> files = Files.walk(data.resolve(setting))) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    long size = Files.size(f);
                    assertTrue(size < MAX_FILE_BYTES, f + " is " + size + " bytes");
                    total += size;
                }
            }
        }
        assertTrue(total <= MAX_TOTAL_BYTES, "both settings take " + total + " bytes");
    }

    private static Path resolveInside(Path dir, String rel) {
        Path f = dir.resolve(rel).normalize();
        assertTrue(f.startsWith(dir.normalize()), rel + " points outside " + dir);
        assertTrue(Files.isRegularFile(f), "missing " + f);
        return f;
    }

    private static void checkImage(Path dir, String rel) throws IOException {
        Path f = resolveInside(dir, rel);
        BufferedImage im = ImageIO.read(f.toFile());
        assertNotNull(im, rel + " does not decode");
        assertEquals(28, im.getWidth(), rel + " width");
        assertEquals(28, im.getHeight(), rel + " height");
        assertEquals(1, im.getRaster().getNumBands(), rel + " is not greyscale");
        assertEquals(8, im.getColorModel().getComponentSize(0), rel + " is not 8-bit");
    }

    private static void checkAudio(Path dir, String rel) throws IOException {
        Path f = resolveInside(dir, rel);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f));
                AudioInputStream a = AudioSystem.getAudioInputStream(in)) {
            AudioFormat fmt = a.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, fmt.getEncoding(), rel + " encoding");
            assertEquals(SAMPLE_RATE, fmt.getSampleRate(), rel + " sample rate");
            assertEquals(1, fmt.getChannels(), rel + " channels");
            assertEquals(16, fmt.getSampleSizeInBits(), rel + " bits");
            long frames = a.getFrameLength();
            double seconds = frames / (double) fmt.getSampleRate();
            assertTrue(
                    seconds >= MIN_SECONDS && seconds <= MAX_SECONDS,
                    rel + " lasts " + seconds + " s");
            byte[] pcm = a.readAllBytes();
            assertEquals(frames * 2, pcm.length, rel + " is truncated");
            boolean silent = true;
            for (int i = 0; i + 1 < pcm.length && silent; i += 2) {
                silent = pcm[i] == 0 && pcm[i + 1] == 0;
            }
            assertFalse(silent, rel + " is all zeros");
        } catch (UnsupportedAudioFileException e) {
            fail(rel + " does not decode: " + e.getMessage());
        }
    }

    private static void assertDisjoint(Set<String> a, Set<String> b, String what) {
        assertNotNull(a, what);
        assertNotNull(b, what);
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        assertTrue(both.isEmpty(), what + " overlap: " + both);
    }

    @Test
    void braidsOwnLoaderAcceptsBothSettings() {
        for (String setting : List.of("avmnist", "avmnist-hard")) {
            dev.braid.fusion.data.Dataset d =
                    dev.braid.fusion.data.Manifest.read(
                            repoRoot().resolve("data").resolve(setting));
            assertEquals(3000, d.entries().size(), setting);
        }
    }
}
