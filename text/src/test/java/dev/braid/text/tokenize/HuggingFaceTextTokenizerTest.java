package dev.braid.text.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-written WordPiece tokenizer.json, so the expected ids can be read off its vocabulary. */
class HuggingFaceTextTokenizerTest {

    private static Path resource() throws URISyntaxException {
        return Path.of(
                HuggingFaceTextTokenizerTest.class
                        .getResource("/wordpiece-tokenizer.json")
                        .toURI());
    }

    @Test
    void encodesWithTheFilesVocabulary() throws Exception {
        Tokenizer tokenizer = Tokenizer.load(resource());
        assertTrue(tokenizer instanceof HuggingFaceTextTokenizer);
        // lowercased by the file's normaliser; "worlds" = "world" + "##s"; Han split per character
        assertArrayEquals(new int[] {5, 6, 7, 8, 9, 10}, tokenizer.encode("Hello worlds 中国!"));
        assertArrayEquals(new int[] {5, 1}, tokenizer.encode("hello unknownword"));
        assertEquals(new SpecialTokens(0, 1, 2, 3, 4), tokenizer.specialTokens());
        assertEquals(11, tokenizer.vocabularySize());
        assertEquals("hello worlds", tokenizer.decode(new int[] {2, 5, 6, 7, 3}));
    }

    @Test
    void batchEncodingWorksThroughTheSameInterface() throws Exception {
        EncodedBatch batch = Tokenizer.load(resource()).encodeBatch(List.of("hello world", "中"), 3);
        assertEquals(3, batch.length());
        assertArrayEquals(new long[] {2, 5, 3, 2, 8, 3}, batch.ids());
    }

    @Test
    void missingSpecialTokenIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, Files.readString(resource()).replace("\"[MASK]\"", "\"[MASQUE]\""));
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().contains("[MASK] or <mask>"), e.getMessage());
    }

    @Test
    void saveCopiesTheFile(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("model/tokenizer.json");
        Tokenizer.load(resource()).save(copy);
        assertArrayEquals(new int[] {5, 6}, Tokenizer.load(copy).encode("hello world"));
    }
}
