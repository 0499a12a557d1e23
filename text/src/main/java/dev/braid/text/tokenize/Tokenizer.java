package dev.braid.text.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Turns text into token ids and back. Implementations are immutable and safe to share between
 * threads.
 */
public interface Tokenizer {

    /**
     * Encodes one text without special tokens, stopping after {@code maxTokens} tokens so that a
     * huge text costs no more than the part that is kept.
     *
     * @throws IllegalArgumentException if {@code maxTokens} is negative
     */
    int[] encode(String text, int maxTokens);

    /** Encodes one whole text without special tokens. */
    default int[] encode(String text) {
        return encode(text, Integer.MAX_VALUE);
    }

    /** Decodes ids back to text, skipping special tokens. */
    String decode(int[] ids);

    /** Returns the number of ids, so that every id is in {@code [0, vocabularySize())}. */
    int vocabularySize();

    /** Returns the ids of {@code [PAD] [UNK] [CLS] [SEP] [MASK]}. */
    SpecialTokens specialTokens();

    /** Writes the tokenizer to {@code file}, in a form {@link #load(Path)} reads back. */
    void save(Path file) throws IOException;

    /**
     * Encodes texts as {@code [CLS] tokens [SEP]}, truncated to {@code maxLength} positions and
     * padded with {@code [PAD]} to the longest row.
     *
     * @throws IllegalArgumentException if {@code maxLength < 2} (no room for [CLS] and [SEP]) or a
     *     text is null
     */
    default EncodedBatch encodeBatch(List<String> texts, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException(
                    "maxLength (" + maxLength + ") must be at least 2, to hold [CLS] and [SEP]");
        }
        SpecialTokens special = specialTokens();
        int[][] rows = new int[texts.size()][];
        int length = 2;
        for (int b = 0; b < rows.length; b++) {
            String text = texts.get(b);
            if (text == null) {
                throw new IllegalArgumentException("text " + b + " of the batch is null");
            }
            rows[b] = encode(text, maxLength - 2);
            length = Math.max(length, rows[b].length + 2);
        }
        long[] ids = new long[rows.length * length];
        boolean[] mask = new boolean[ids.length];
        Arrays.fill(ids, special.pad());
        for (int b = 0; b < rows.length; b++) {
            int at = b * length;
            ids[at] = special.cls();
            for (int t = 0; t < rows[b].length; t++) {
                ids[at + 1 + t] = rows[b][t];
            }
            ids[at + 1 + rows[b].length] = special.sep();
            Arrays.fill(mask, at, at + rows[b].length + 2, true);
        }
        return new EncodedBatch(rows.length, length, ids, mask);
    }

    /**
     * Loads a tokenizer file: one written by Braid's {@link ByteLevelBpeTokenizer}, or a
     * HuggingFace {@code tokenizer.json}.
     *
     * @throws IOException if the file cannot be read or is neither kind
     */
    static Tokenizer load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        if (root != null && ByteLevelBpeTokenizer.FORMAT.equals(root.path("format").asText())) {
            return ByteLevelBpeTokenizer.load(file);
        }
        if (root != null && root.has("model")) {
            return HuggingFaceTextTokenizer.load(file);
        }
        throw new IOException(
                file + " is neither a Braid tokenizer nor a HuggingFace tokenizer.json");
    }
}
