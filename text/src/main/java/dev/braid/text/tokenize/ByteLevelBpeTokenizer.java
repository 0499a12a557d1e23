package dev.braid.text.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.files.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-level BPE tokenizer (GPT-2's scheme), trained in Java by {@link BpeTrainer}.
 *
 * <p>Why byte-level BPE rather than WordPiece: its base vocabulary is the 256 byte values, so every
 * string — Chinese, emoji, scripts never seen in training — encodes without {@code [UNK]} and
 * decodes back to exactly the normalised input. WordPiece needs every character in its vocabulary
 * and maps the rest to {@code [UNK]}, which loses exactly the rare CJK characters and emoji Braid's
 * users write. The cost, longer sequences for unseen scripts, falls where data is rare anyway.
 *
 * <p>Ids: {@code 0..4} the special tokens ({@link SpecialTokens#standard()}), {@code 5..260} the
 * bytes, then one id per merge in the order it was learned. Text is NFKC-normalised and cut into
 * pieces by {@link PreTokenizer}; merges never cross a piece. Special-token names typed in text are
 * plain text.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {

    static final String FORMAT = "braid-byte-level-bpe";
    static final int FIRST_BYTE_ID = SpecialTokens.NAMES.length;
    static final int FIRST_MERGE_ID = FIRST_BYTE_ID + 256;
    private static final int CACHE_LIMIT = 100_000;

    private final int[][] merges; // merges[r] = {left, right}; the merged id is FIRST_MERGE_ID + r
    private final Map<Long, Integer> rankOfPair;
    private final byte[][] bytesOfId;
    private final boolean singleDigits;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    ByteLevelBpeTokenizer(int[][] merges) {
        this(merges, false);
    }

    /**
     * @param singleDigits whether every digit is a token of its own ({@link PreTokenizer})
     */
    ByteLevelBpeTokenizer(int[][] merges, boolean singleDigits) {
        this.merges = merges;
        this.singleDigits = singleDigits;
        rankOfPair = new HashMap<>();
        bytesOfId = new byte[FIRST_MERGE_ID + merges.length][];
        for (int i = 0; i < SpecialTokens.NAMES.length; i++) {
            bytesOfId[i] = new byte[0];
        }
        for (int b = 0; b < 256; b++) {
            bytesOfId[FIRST_BYTE_ID + b] = new byte[] {(byte) b};
        }
        for (int r = 0; r < merges.length; r++) {
            int left = merges[r][0];
            int right = merges[r][1];
            int id = FIRST_MERGE_ID + r;
            if (left < FIRST_BYTE_ID || right < FIRST_BYTE_ID || left >= id || right >= id) {
                throw new IllegalArgumentException(
                        "merge " + r + " (" + left + ", " + right + ") refers to an unknown id");
            }
            rankOfPair.put(pairKey(left, right), r);
            byte[] joined =
                    Arrays.copyOf(
                            bytesOfId[left], bytesOfId[left].length + bytesOfId[right].length);
            System.arraycopy(
                    bytesOfId[right], 0, joined, bytesOfId[left].length, bytesOfId[right].length);
            bytesOfId[id] = joined;
        }
    }

    /**
     * A tokenizer with no merges: every byte is a token. For models that read no text, and as the
     * starting point of training.
     */
    public static ByteLevelBpeTokenizer bytesOnly() {
        return new ByteLevelBpeTokenizer(new int[0][]);
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    @Override
    public int[] encode(String text, int maxTokens) {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens (" + maxTokens + ") must be >= 0");
        }
        List<int[]> parts = new ArrayList<>();
        int count = 0;
        for (String piece : PreTokenizer.split(PreTokenizer.normalize(text), singleDigits)) {
            if (count >= maxTokens) {
                break;
            }
            int[] ids = encodePiece(piece);
            parts.add(ids);
            count += ids.length;
        }
        int[] out = new int[Math.min(count, maxTokens)];
        int at = 0;
        for (int[] ids : parts) {
            int n = Math.min(ids.length, out.length - at);
            System.arraycopy(ids, 0, out, at, n);
            at += n;
        }
        return out;
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = FIRST_BYTE_ID + (bytes[i] & 0xff);
        }
        int n = symbols.length;
        // Apply the earliest-learned merge present, as training did, until none applies.
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Integer rank = rankOfPair.get(pairKey(symbols[i], symbols[i + 1]));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                }
            }
            if (bestRank == Integer.MAX_VALUE) {
                break;
            }
            n =
                    BpeTrainer.mergeInPlace(
                            symbols,
                            n,
                            merges[bestRank][0],
                            merges[bestRank][1],
                            FIRST_MERGE_ID + bestRank);
        }
        int[] ids = Arrays.copyOf(symbols, n);
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, ids);
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= bytesOfId.length) {
                throw new IllegalArgumentException(
                        "id " + id + " is outside the vocabulary [0, " + bytesOfId.length + ")");
            }
            out.writeBytes(bytesOfId[id]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Returns a readable form of one token: its text; its name for a special token; or its bytes in
     * hex, {@code <F0 9F>}, for a piece of a character (an emoji seen too rarely to merge).
     */
    public String tokenText(int id) {
        if (id < FIRST_BYTE_ID) {
            return SpecialTokens.NAMES[id];
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytesOfId[id]))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder hex = new StringBuilder("<");
            for (byte b : bytesOfId[id]) {
                hex.append(hex.length() > 1 ? " " : "").append(String.format("%02X", b & 0xff));
            }
            return hex.append('>').toString();
        }
    }

    @Override
    public int vocabularySize() {
        return bytesOfId.length;
    }

    @Override
    public SpecialTokens specialTokens() {
        return SpecialTokens.standard();
    }

    /** Returns whether every digit is a token of its own, so numbers are copied digit by digit. */
    public boolean singleDigits() {
        return singleDigits;
    }

    /** Returns the number of learned merges. */
    public int mergeCount() {
        return merges.length;
    }

    /** Writes the merges as JSON, atomically: a crash leaves the old file or the new one. */
    @Override
    public void save(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("normalization", "NFKC");
        root.put("digits", singleDigits ? "single" : "runs");
        ArrayNode special = root.putArray("specialTokens");
        Arrays.stream(SpecialTokens.NAMES).forEach(special::add);
        ArrayNode mergeList = root.putArray("merges");
        for (int[] merge : merges) {
            mergeList.addArray().add(merge[0]).add(merge[1]);
        }
        AtomicFile.write(file, json.writeValueAsBytes(root));
    }

    /**
     * Reads a tokenizer written by {@link #save(Path)}.
     *
     * @throws IOException if the file is unreadable or not a Braid BPE tokenizer; the message names
     *     the file and what is wrong
     */
    public static ByteLevelBpeTokenizer load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(file + ": field 'format' must be \"" + FORMAT + "\"");
        }
        JsonNode list = root.path("merges");
        if (!list.isArray()) {
            throw new IOException(
                    file + ": field 'merges' must be an array of [left, right] pairs");
        }
        int[][] merges = new int[list.size()][];
        for (int r = 0; r < merges.length; r++) {
            JsonNode pair = list.get(r);
            if (!pair.isArray()
                    || pair.size() != 2
                    || !pair.get(0).isInt()
                    || !pair.get(1).isInt()) {
                throw new IOException(
                        file + ": merges[" + r + "] must be a pair of integers, found " + pair);
            }
            merges[r] = new int[] {pair.get(0).asInt(), pair.get(1).asInt()};
        }
        String digits = root.path("digits").asText("runs");
        if (!digits.equals("runs") && !digits.equals("single")) {
            throw new IOException(
                    file + ": field 'digits' must be \"runs\" or \"single\", found " + digits);
        }
        try {
            return new ByteLevelBpeTokenizer(merges, digits.equals("single"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
