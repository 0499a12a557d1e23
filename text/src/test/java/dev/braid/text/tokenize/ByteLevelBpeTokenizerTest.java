package dev.braid.text.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteLevelBpeTokenizerTest {

    static final List<String> CORPUS = new ArrayList<>();
    static ByteLevelBpeTokenizer tokenizer;

    @BeforeAll
    static void train() {
        String[] lines = {
            "The parcel arrived damaged and the box was wet.",
            "My order has not arrived yet, where is my parcel?",
            "I want a refund for the broken headphones.",
            "The screen of my phone is cracked, please help!",
            "我的包裹还没有到，请帮我查一下。",
            "耳机坏了，我想退款。",
            "手机屏幕碎了，怎么办？",
            "Thanks a lot 😀 great service 👍",
            "Order #12345 was charged twice on 2026-11-02.",
        };
        for (int i = 0; i < 20; i++) {
            CORPUS.addAll(Arrays.asList(lines));
        }
        tokenizer = new BpeTrainer(new BpeTrainer.Config(600, 2)).train(CORPUS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "The parcel arrived damaged.",
                "我的包裹还没有到",
                "Hello世界😀 mixed: Ελληνικά, русский, العربية, हिन्दी",
                "Family 👩‍👩‍👧 and flag 🇯🇵 and heart ❤️",
                "ᚠᚢᚦᚨᚱᚲ never seen in training ✈︎",
                "  leading and trailing spaces\t\nand tabs  ",
                "",
            })
    void decodeOfEncodeGivesTheNormalisedTextBack(String text) {
        int[] ids = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(ids));
        assertTrue(
                Arrays.stream(ids).noneMatch(id -> id == tokenizer.specialTokens().unknown()),
                "byte-level BPE never needs [UNK]");
        assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0 && id < tokenizer.vocabularySize()));
    }

    @Test
    void nfkcFoldsFullWidthAndLigatures() {
        assertEquals("ABC fi 123", tokenizer.decode(tokenizer.encode("ＡＢＣ ﬁ １２３")));
        assertArrayEquals(tokenizer.encode("ABC"), tokenizer.encode("ＡＢＣ"));
    }

    @Test
    void chineseCharactersSeenInTrainingAreOneTokenEach() {
        int[] ids = tokenizer.encode("包裹退款");
        assertEquals(4, ids.length);
        assertEquals("包", tokenizer.tokenText(ids[0]));
        assertEquals("款", tokenizer.tokenText(ids[3]));
    }

    @Test
    void noTokenSpansTwoHanCharacters() {
        for (int id = 0; id < tokenizer.vocabularySize(); id++) {
            long han =
                    tokenizer
                            .tokenText(id)
                            .codePoints()
                            .filter(
                                    c ->
                                            Character.UnicodeScript.of(c)
                                                    == Character.UnicodeScript.HAN)
                            .count();
            assertTrue(han <= 1, "token " + id + " '" + tokenizer.tokenText(id) + "'");
        }
    }

    @Test
    void frequentEnglishWordsBecomeSingleTokens() {
        assertEquals(1, tokenizer.encode(" parcel").length);
        assertEquals(" parcel", tokenizer.tokenText(tokenizer.encode(" parcel")[0]));
    }

    @Test
    void mergesFollowPairFrequencyAsComputedByHand() {
        // pieces: "ab" x1, " ab" x2, "abc" x1 -> (a,b) seen 4 times, then (' ', ab) 2 times,
        // then (ab, c) only once, below minFrequency 2.
        ByteLevelBpeTokenizer small =
                new BpeTrainer(new BpeTrainer.Config(300, 2)).train(List.of("ab ab ab", "abc"));
        assertEquals(2, small.mergeCount());
        assertEquals("ab", small.tokenText(ByteLevelBpeTokenizer.FIRST_MERGE_ID));
        assertEquals(" ab", small.tokenText(ByteLevelBpeTokenizer.FIRST_MERGE_ID + 1));
        assertEquals(4, small.encode("ab ab abc").length); // "ab", " ab", " ab", "c"
    }

    @Test
    void trainingIsDeterministic(@TempDir Path dir) throws IOException {
        ByteLevelBpeTokenizer again = new BpeTrainer(new BpeTrainer.Config(600, 2)).train(CORPUS);
        tokenizer.save(dir.resolve("a.json"));
        again.save(dir.resolve("b.json"));
        assertEquals(
                Files.readString(dir.resolve("a.json")), Files.readString(dir.resolve("b.json")));
    }

    @Test
    void saveAndLoadGiveTheSameIds(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertTrue(loaded instanceof ByteLevelBpeTokenizer);
        for (String text : CORPUS.subList(0, 9)) {
            assertArrayEquals(tokenizer.encode(text), loaded.encode(text));
        }
        assertEquals(tokenizer.vocabularySize(), loaded.vocabularySize());
    }

    @Test
    void corruptFileIsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(
                file, "{\"format\": \"braid-byte-level-bpe\", \"merges\": [[5, 6], [7]]}");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("merges[1]"),
                e.getMessage());
        Files.writeString(file, "not json at all");
        e = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void batchEncodingAddsClsSepPadsAndMasks() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("refund", "", "   "), 16);
        SpecialTokens s = tokenizer.specialTokens();
        int refund = tokenizer.encode("refund").length;
        int spaces = tokenizer.encode("   ").length;
        assertEquals(3, batch.size());
        assertEquals(Math.max(refund, spaces) + 2, batch.length());
        assertEquals(s.cls(), batch.id(1, 0));
        assertEquals(s.sep(), batch.id(1, 1), "empty text is [CLS] [SEP]");
        assertEquals(2, batch.realLength(1));
        assertEquals(s.pad(), batch.id(1, 2));
        assertEquals(
                spaces + 2, batch.realLength(2), "whitespace-only text keeps its whitespace token");
        assertEquals(s.sep(), batch.id(0, refund + 1));
    }

    @Test
    void veryLongTextIsTruncatedWithoutEncodingItAll() {
        String words = "parcel refund broken screen ".repeat(50_000); // 1.4 million characters
        EncodedBatch batch = tokenizer.encodeBatch(List.of(words), 16);
        assertEquals(16, batch.length());
        assertEquals(tokenizer.specialTokens().sep(), batch.id(0, 15));
        assertArrayEquals(
                Arrays.copyOf(tokenizer.encode(words.substring(0, 200)), 14),
                tokenizer.encode(words, 14));

        String noSpaces = "x".repeat(200_000) + "中".repeat(50_000) + "😀".repeat(50_000);
        int[] all = tokenizer.encode(noSpaces);
        assertEquals(noSpaces, tokenizer.decode(all));
    }

    @Test
    void maxLengthBelowTwoIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> tokenizer.encodeBatch(List.of("a"), 0));
        assertEquals("maxLength (0) must be at least 2, to hold [CLS] and [SEP]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("a", -1));
        EncodedBatch minimal = tokenizer.encodeBatch(List.of("anything at all"), 2);
        assertEquals(2, minimal.length());
    }

    @Test
    void specialTokenNamesInTextAreOrdinaryText() {
        int[] ids = tokenizer.encode("[CLS] [MASK]");
        assertTrue(Arrays.stream(ids).noneMatch(id -> tokenizer.specialTokens().contains(id)));
        assertEquals("[CLS] [MASK]", tokenizer.decode(ids));
    }

    @Test
    void badTrainerConfigNamesFieldAndValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new BpeTrainer.Config(100, 2));
        assertTrue(
                e.getMessage().startsWith("vocabularySize (100) must be at least 261"),
                e.getMessage());
    }

    @Test
    void tokenTextShowsPartialCharactersAsHexBytes() {
        int[] ids = tokenizer.encode("ᚠ"); // U+16A0, three UTF-8 bytes never merged in training
        assertEquals(3, ids.length);
        assertEquals("<E1>", tokenizer.tokenText(ids[0]));
        assertEquals("[CLS]", tokenizer.tokenText(tokenizer.specialTokens().cls()));
    }

    @Test
    void singleDigitsMakeANumberTheSameTokensWhereverItIsWritten(@TempDir Path dir)
            throws IOException {
        List<String> corpus = new ArrayList<>(CORPUS);
        for (int i = 0; i < 20; i++) {
            corpus.add("Order #301749 and order 301749 and (order 301749).");
        }
        ByteLevelBpeTokenizer runs = new BpeTrainer(new BpeTrainer.Config(600, 2)).train(corpus);
        ByteLevelBpeTokenizer single =
                new BpeTrainer(new BpeTrainer.Config(600, 2, true)).train(corpus);
        String number = "301749";
        int[] digits =
                number.chars().map(c -> single.encode(String.valueOf((char) c))[0]).toArray();
        for (String text : List.of("Order #301749.", "(order 301749)", "301749")) {
            int[] ids = single.encode(text);
            assertTrue(contains(ids, digits), text + " holds the six digit tokens " + text);
            assertEquals(text, single.decode(ids));
            assertTrue(
                    Arrays.stream(ids)
                            .allMatch(
                                    id ->
                                            single.tokenText(id).length() == 1
                                                    || single.tokenText(id)
                                                            .chars()
                                                            .noneMatch(Character::isDigit)),
                    "no token of " + text + " holds a digit and anything else");
        }
        assertTrue(
                runs.encode("(order 301749)").length < single.encode("(order 301749)").length,
                "runs of digits merge by default");
        Path file = dir.resolve("tokenizer.json");
        single.save(file);
        ByteLevelBpeTokenizer loaded = ByteLevelBpeTokenizer.load(file);
        assertTrue(loaded.singleDigits());
        assertArrayEquals(single.encode("Order #301749."), loaded.encode("Order #301749."));
        runs.save(file);
        assertTrue(!ByteLevelBpeTokenizer.load(file).singleDigits());
    }

    private static boolean contains(int[] ids, int[] run) {
        for (int i = 0; i + run.length <= ids.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(ids, i, i + run.length), run)) {
                return true;
            }
        }
        return false;
    }
}
