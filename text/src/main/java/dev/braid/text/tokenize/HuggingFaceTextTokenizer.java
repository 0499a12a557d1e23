package dev.braid.text.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} (the tokenizer of a pretrained model) behind Braid's {@link
 * Tokenizer} interface, through DJL's binding of the Rust tokenizers library.
 *
 * <p>The file's own normaliser and pre-tokeniser apply. Braid adds {@code [CLS]}/{@code [SEP]}
 * itself in {@link #encodeBatch}, so the file's post-processor is not used. Special tokens are
 * found by name in the vocabulary: BERT's {@code [PAD]}-style names first, then RoBERTa's {@code
 * <pad>}-style ones.
 */
public final class HuggingFaceTextTokenizer implements Tokenizer {

    private static final String[][] SPECIAL_NAMES = {
        {"[PAD]", "<pad>"},
        {"[UNK]", "<unk>"},
        {"[CLS]", "<s>"},
        {"[SEP]", "</s>"},
        {"[MASK]", "<mask>"}
    };

    private final Path source;
    private final HuggingFaceTokenizer tokenizer;
    private final SpecialTokens special;
    private final int vocabularySize;

    private HuggingFaceTextTokenizer(
            Path source,
            HuggingFaceTokenizer tokenizer,
            SpecialTokens special,
            int vocabularySize) {
        this.source = source;
        this.tokenizer = tokenizer;
        this.special = special;
        this.vocabularySize = vocabularySize;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @throws IOException if the file cannot be read or parsed, or lacks one of the five special
     *     tokens; the message names the file and the token
     */
    public static HuggingFaceTextTokenizer load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, Integer> vocabulary = vocabulary(root);
        if (vocabulary.isEmpty()) {
            throw new IOException(
                    file + ": no vocabulary found in 'model.vocab' or 'added_tokens'");
        }
        int[] ids = new int[SPECIAL_NAMES.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = -1;
            for (String name : SPECIAL_NAMES[i]) {
                if (vocabulary.containsKey(name)) {
                    ids[i] = vocabulary.get(name);
                    break;
                }
            }
            if (ids[i] < 0) {
                throw new IOException(
                        file
                                + ": the vocabulary has no "
                                + String.join(" or ", SPECIAL_NAMES[i])
                                + " token, which Braid needs");
            }
        }
        int size = vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "false");
        options.put("truncation", "false");
        options.put("padding", "false");
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, options);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid tokenizer.json: " + e.getMessage(), e);
        }
        SpecialTokens special = new SpecialTokens(ids[0], ids[1], ids[2], ids[3], ids[4]);
        return new HuggingFaceTextTokenizer(file, tokenizer, special, size);
    }

    private static Map<String, Integer> vocabulary(JsonNode root) {
        Map<String, Integer> vocabulary = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) { // WordPiece, BPE, WordLevel: {"token": id}
            Iterator<Map.Entry<String, JsonNode>> it = vocab.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                vocabulary.put(e.getKey(), e.getValue().asInt());
            }
        } else if (vocab.isArray()) { // Unigram: [["token", score], ...], id = position
            for (int id = 0; id < vocab.size(); id++) {
                vocabulary.put(vocab.get(id).path(0).asText(), id);
            }
        }
        for (JsonNode added : root.path("added_tokens")) {
            vocabulary.put(added.path("content").asText(), added.path("id").asInt());
        }
        return vocabulary;
    }

    @Override
    public int[] encode(String text, int maxTokens) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens (" + maxTokens + ") must be >= 0");
        }
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[Math.min(ids.length, maxTokens)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, true);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public SpecialTokens specialTokens() {
        return special;
    }

    /** Copies the original {@code tokenizer.json} to {@code file}. */
    @Override
    public void save(Path file) throws IOException {
        if (Files.exists(file) && Files.isSameFile(source, file)) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Returns the tokens of a text as the HuggingFace tokenizer splits it, for inspection. */
    public List<String> tokenize(String text) {
        return tokenizer.tokenize(text);
    }
}
