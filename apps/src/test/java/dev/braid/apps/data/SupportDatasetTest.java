package dev.braid.apps.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.support.ReferenceReplies;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the committed customer-service dataset {@code data/support} (made by {@code
 * tools/support/prepare.py}) against its design: Braid's strict loader accepts it; split sizes, the
 * three heads and their classes, modality shares, Chinese texts; every photo and voice note decodes
 * in the expected format; the reply templates cover every intent in both languages; val and test
 * voices and backgrounds are unseen in train.
 */
class SupportDatasetTest {

    private static final Set<String> INTENTS =
            Set.of(
                    "refund",
                    "damaged_item",
                    "delivery",
                    "account_access",
                    "billing",
                    "technical_setup",
                    "exchange",
                    "cancellation");
    private static final Set<String> PRODUCTS =
            Set.of("headphones", "phone", "computer", "camera", "printer", "tv");
    private static final Set<String> URGENCIES = Set.of("low", "normal", "high");
    private static final Map<String, Set<String>> HEADS =
            Map.of("intent", INTENTS, "product", PRODUCTS, "urgency", URGENCIES);
    private static final Map<Split, Integer> SPLIT_SIZES =
            Map.of(Split.TRAIN, 1800, Split.VAL, 300, Split.TEST, 400);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static Path dir;
    private static Dataset dataset;

    @BeforeAll
    static void load() {
        root = repoRoot();
        dir = root.resolve("data/support");
        dataset = Manifest.read(dir); // strict: unknown fields, missing files, bad splits fail
    }

    /** Walks up from the working directory to the folder that holds {@code data/support}. */
    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("data/support/manifest.jsonl"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no data/support/manifest.jsonl above " + Path.of("").toAbsolutePath());
    }

    @Test
    void splitSizesAsDesigned() {
        for (Split split : Split.values()) {
            assertEquals(SPLIT_SIZES.get(split), dataset.entries(split).size(), "size of " + split);
        }
    }

    @Test
    void everyRowHasTextAndTheThreeHeads() {
        for (ManifestEntry e : dataset.entries()) {
            assertTrue(e.has(Modality.TEXT), e.location() + ": no text");
            assertFalse(e.inputs().get(Modality.TEXT).isBlank(), e.location() + ": blank text");
            assertEquals(HEADS.keySet(), e.labels().keySet(), e.location() + ": heads");
        }
        TaskSchema schema = TaskSchema.infer(List.of(dataset));
        for (Map.Entry<String, Set<String>> head : HEADS.entrySet()) {
            HeadSpec h = schema.head(head.getKey());
            assertEquals(HeadKind.CLASSIFICATION, h.kind(), head.getKey());
            assertEquals(head.getValue(), Set.copyOf(h.classes()), "classes of " + head.getKey());
        }
    }

    @Test
    void everyClassAppearsInEverySplit() throws IOException {
        for (Split split : Split.values()) {
            Map<String, Set<String>> seen = new HashMap<>();
            for (JsonNode row : rows()) {
                if (row.get("split").asText().equals(split.manifestValue())) {
                    row.get("label")
                            .fields()
                            .forEachRemaining(
                                    f ->
                                            seen.computeIfAbsent(f.getKey(), k -> new HashSet<>())
                                                    .add(f.getValue().asText()));
                }
            }
            for (Map.Entry<String, Set<String>> head : HEADS.entrySet()) {
                assertEquals(head.getValue(), seen.get(head.getKey()), split + " " + head.getKey());
            }
        }
    }

    @Test
    void modalitySharesAndLanguagesAsDesigned() {
        for (Split split : Split.values()) {
            List<ManifestEntry> rows = dataset.entries(split);
            double image = share(rows, e -> e.has(Modality.IMAGE));
            double audio = share(rows, e -> e.has(Modality.AUDIO));
            double han = share(rows, e -> hasHan(e.inputs().get(Modality.TEXT)));
            assertTrue(image > 0.50 && image < 0.70, split + " photo share " + image);
            assertTrue(audio > 0.30 && audio < 0.50, split + " voice share " + audio);
            assertTrue(han > 0.30 && han < 0.50, split + " Chinese share " + han);
        }
    }

    @Test
    void photosAre64x64Rgb() throws IOException {
        Set<String> files = new HashSet<>();
        for (ManifestEntry e : dataset.entries()) {
            if (e.has(Modality.IMAGE)) {
                files.add(e.inputs().get(Modality.IMAGE));
            }
        }
        assertTrue(files.size() > 1000, "photos: " + files.size());
        for (String f : files) {
            BufferedImage img = ImageIO.read(Path.of(f).toFile());
            assertNotNull(img, f + " does not decode");
            assertEquals(64, img.getWidth(), f);
            assertEquals(64, img.getHeight(), f);
            assertEquals(3, img.getColorModel().getNumComponents(), f + " is not RGB");
        }
    }

    @Test
    void voiceNotesAre16kMono16BitAtMost3s() throws IOException {
        Set<String> files = new HashSet<>();
        for (ManifestEntry e : dataset.entries()) {
            if (e.has(Modality.AUDIO)) {
                files.add(e.inputs().get(Modality.AUDIO));
            }
        }
        assertTrue(files.size() >= 100, "voice clips: " + files.size());
        for (String f : files) {
            try (AudioInputStream in = AudioSystem.getAudioInputStream(Path.of(f).toFile())) {
                AudioFormat fmt = in.getFormat();
                assertEquals(AudioFormat.Encoding.PCM_SIGNED, fmt.getEncoding(), f);
                assertEquals(16000f, fmt.getSampleRate(), f);
                assertEquals(1, fmt.getChannels(), f);
                assertEquals(16, fmt.getSampleSizeInBits(), f);
                long frames = in.getFrameLength();
                assertTrue(frames > 16000 / 2 && frames <= 3 * 16000, f + ": " + frames);
                byte[] pcm = in.readAllBytes();
                assertEquals(frames * 2, pcm.length, f + " is truncated");
                assertTrue(peak(pcm) > 1000, f + " is silent");
            } catch (UnsupportedAudioFileException ex) {
                fail(f + " does not decode: " + ex);
            }
        }
    }

    @Test
    void filesAreSmallAndEveryFileIsReferenced() throws IOException {
        Set<Path> referenced = new HashSet<>();
        for (ManifestEntry e : dataset.entries()) {
            for (Modality m : List.of(Modality.IMAGE, Modality.AUDIO)) {
                if (e.has(m)) {
                    referenced.add(Path.of(e.inputs().get(m)));
                }
            }
        }
        long total = 0;
        List<Path> unreferenced = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.toRealPath())) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                long size = Files.size(p);
                assertTrue(size < 5_000_000, p + " is " + size + " bytes");
                total += size;
                String folder = p.getParent().getFileName().toString();
                if ((folder.equals("images") || folder.equals("audio"))
                        && !referenced.contains(p)) {
                    unreferenced.add(p);
                }
            }
        }
        assertTrue(total <= 21_000_000, "data/support is " + total + " bytes");
        assertEquals(List.of(), unreferenced, "files no ticket uses");
    }

    @Test
    void repliesCoverEveryIntentInBothLanguages() throws IOException {
        JsonNode tools = JSON.readTree(root.resolve("tools/support/replies.json").toFile());
        JsonNode shipped = JSON.readTree(dir.resolve("replies.json").toFile());
        assertEquals(tools, shipped, "data/support/replies.json differs from tools/support's");
        JsonNode replies = tools.get("replies");
        assertEquals(INTENTS, fieldNames(replies));
        for (String intent : INTENTS) {
            for (String lang : List.of("en", "zh")) {
                String t = replies.get(intent).path(lang).asText("");
                assertTrue(t.contains("{product}"), intent + "/" + lang + ": " + t);
                assertTrue(t.contains("{urgency}"), intent + "/" + lang + ": " + t);
                assertEquals(lang.equals("zh"), hasHan(t), intent + "/" + lang + " language");
            }
        }
        for (String lang : List.of("en", "zh")) {
            assertEquals(PRODUCTS, fieldNames(tools.get("product_names").get(lang)), lang);
            assertEquals(URGENCIES, fieldNames(tools.get("urgency_names").get(lang)), lang);
        }
    }

    /**
     * Every ticket has one reference reply in its language whose facts are the ticket's labels,
     * which names the product and the urgency's response time, and which copies the order number
     * the message gives (and only then gives one).
     */
    @Test
    void everyTicketHasAReferenceReplyCarryingItsFacts() throws IOException {
        Map<String, ReferenceReplies.Reference> references = ReferenceReplies.read(dir);
        Map<String, String> languages = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("meta.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode m = JSON.readTree(line);
            languages.put(m.get("id").asText(), m.get("lang").asText());
        }
        assertEquals(dataset.entries().size(), references.size(), "replies");
        int orders = 0;
        for (ManifestEntry e : dataset.entries()) {
            ReferenceReplies.Reference r = references.get(e.id());
            assertNotNull(r, e.id() + " has no reply");
            String at = e.id() + ": " + r.reply();
            assertEquals(languages.get(e.id()), r.language(), at);
            assertEquals(name(e, "product"), r.product(), at);
            assertEquals(name(e, "urgency"), r.urgency(), at);
            assertEquals(name(e, "intent"), r.intent(), at);
            assertTrue(ReferenceReplies.productRight(r.reply(), r.language(), r.product()), at);
            assertTrue(ReferenceReplies.urgencyRight(r.reply(), r.language(), r.urgency()), at);
            if (r.order() != null) {
                orders++;
                assertTrue(e.inputs().get(Modality.TEXT).contains(r.order()), at);
                assertTrue(ReferenceReplies.orderRight(r.reply(), r.order()), at);
            } else {
                assertFalse(r.reply().matches(".*\\d{6}.*"), at);
            }
        }
        assertTrue(orders > 300, "replies copying an order number: " + orders);
    }

    private static String name(ManifestEntry e, String head) {
        return ((dev.braid.fusion.data.Label.ClassLabel) e.labels().get(head)).name();
    }

    /** The held-out design: val and test are spoken by unseen voices on unseen backgrounds. */
    @Test
    void valAndTestUseUnseenVoicesAndBackgrounds() throws IOException {
        Map<String, Split> splitOf = new HashMap<>();
        for (ManifestEntry e : dataset.entries()) {
            splitOf.put(e.id(), e.split());
        }
        Map<Split, Set<String>> voices = new EnumMap<>(Split.class);
        Map<Split, Set<String>> backgrounds = new EnumMap<>(Split.class);
        int productOnlyInPhoto = 0;
        int intentOnlyInVoice = 0;
        int urgencyOnlyInVoice = 0;
        for (String line : Files.readAllLines(dir.resolve("meta.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode m = JSON.readTree(line);
            Split split = splitOf.get(m.get("id").asText());
            assertNotNull(split, "meta.jsonl names an unknown id: " + line);
            if (m.has("voice")) {
                voices.computeIfAbsent(split, s -> new HashSet<>()).add(m.get("voice").asText());
            }
            if (m.has("background")) {
                backgrounds
                        .computeIfAbsent(split, s -> new HashSet<>())
                        .add(m.get("background").asText());
            }
            productOnlyInPhoto += only(m, "product_in", "photo");
            intentOnlyInVoice += only(m, "intent_in", "voice");
            urgencyOnlyInVoice += only(m, "urgency_in", "voice");
        }
        for (Split heldOut : List.of(Split.VAL, Split.TEST)) {
            assertDisjoint(voices.get(Split.TRAIN), voices.get(heldOut), "voices " + heldOut);
            assertDisjoint(
                    backgrounds.get(Split.TRAIN), backgrounds.get(heldOut), "bgs " + heldOut);
        }
        // The information is spread: hundreds of tickets need the photo or the voice note.
        assertTrue(productOnlyInPhoto > 300, "product only in photo: " + productOnlyInPhoto);
        assertTrue(intentOnlyInVoice > 200, "intent only in voice: " + intentOnlyInVoice);
        assertTrue(urgencyOnlyInVoice > 200, "urgency only in voice: " + urgencyOnlyInVoice);
    }

    private static List<JsonNode> rows() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line :
                Files.readAllLines(dir.resolve(Manifest.FILE_NAME), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    private static int only(JsonNode meta, String field, String modality) {
        JsonNode list = meta.get(field);
        return list.size() == 1 && list.get(0).asText().equals(modality) ? 1 : 0;
    }

    private static void assertDisjoint(Set<String> a, Set<String> b, String what) {
        assertTrue(a != null && b != null && !a.isEmpty() && !b.isEmpty(), what + ": none");
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        assertEquals(Set.of(), common, what + " shared with train");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double share(List<ManifestEntry> rows, Predicate<ManifestEntry> p) {
        return rows.stream().filter(p).count() / (double) rows.size();
    }

    private static boolean hasHan(String s) {
        return s.codePoints()
                .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    private static int peak(byte[] pcm) {
        int peak = 0;
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            int v = (short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8)); // little-endian
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }
}
