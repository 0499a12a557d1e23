package dev.braid.text.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns byte-level BPE merges from a corpus: repeatedly joins the most frequent adjacent pair of
 * symbols until the vocabulary is full or no pair is frequent enough.
 *
 * <p>Deterministic: pieces are visited in sorted order and ties between equally frequent pairs go
 * to the smaller (left id, right id), so the same corpus always gives the same merges. Pair counts
 * are updated only for the words that contain the merged pair, with a lazily-invalidated priority
 * queue, so a merge costs time in proportion to where it occurs, not to the corpus.
 */
public final class BpeTrainer {

    /**
     * How to train.
     *
     * @param vocabularySize the target size including the 5 special tokens and the 256 bytes
     * @param minFrequency pairs seen fewer times than this are never merged
     * @param singleDigits every digit a token of its own (so a decoder can copy numbers digit by
     *     digit), rather than runs of digits merged like words
     */
    public record Config(int vocabularySize, int minFrequency, boolean singleDigits) {

        /** Runs of digits merge like words. */
        public Config(int vocabularySize, int minFrequency) {
            this(vocabularySize, minFrequency, false);
        }

        public Config {
            if (vocabularySize < ByteLevelBpeTokenizer.FIRST_MERGE_ID) {
                throw new IllegalArgumentException(
                        "vocabularySize ("
                                + vocabularySize
                                + ") must be at least "
                                + ByteLevelBpeTokenizer.FIRST_MERGE_ID
                                + " (5 special tokens + 256 bytes)");
            }
            if (minFrequency < 1) {
                throw new IllegalArgumentException(
                        "minFrequency (" + minFrequency + ") must be at least 1");
            }
        }

        /** 8000 tokens, pairs seen at least twice. */
        public static Config defaults() {
            return new Config(8000, 2);
        }
    }

    private final Config config;

    public BpeTrainer(Config config) {
        this.config = config;
    }

    /** Trains on the texts and returns the tokenizer. */
    public ByteLevelBpeTokenizer train(Iterable<String> corpus) {
        Map<String, Integer> pieceCounts = new TreeMap<>();
        for (String text : corpus) {
            for (String piece :
                    PreTokenizer.split(PreTokenizer.normalize(text), config.singleDigits())) {
                pieceCounts.merge(piece, 1, Integer::sum);
            }
        }
        List<int[]> words = new ArrayList<>();
        List<Integer> wordCounts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : pieceCounts.entrySet()) {
            byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] symbols = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[i] = ByteLevelBpeTokenizer.FIRST_BYTE_ID + (bytes[i] & 0xff);
            }
            words.add(symbols);
            wordCounts.add(e.getValue());
        }
        int[] lengths = words.stream().mapToInt(w -> w.length).toArray();

        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Long, Set<Integer>> wordsWithPair = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            countPairs(
                    words.get(w),
                    lengths[w],
                    wordCounts.get(w),
                    w,
                    pairCounts,
                    wordsWithPair,
                    null);
        }
        // Max count first; on a tie, the smaller pair key.
        PriorityQueue<long[]> queue =
                new PriorityQueue<>(
                        (a, b) ->
                                a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0]));
        pairCounts.forEach((pair, count) -> queue.add(new long[] {pair, count}));

        List<int[]> merges = new ArrayList<>();
        int wanted = config.vocabularySize() - ByteLevelBpeTokenizer.FIRST_MERGE_ID;
        while (merges.size() < wanted && !queue.isEmpty()) {
            long[] top = queue.poll();
            long pair = top[0];
            long current = pairCounts.getOrDefault(pair, 0L);
            if (current != top[1]) {
                continue; // stale entry; the up-to-date one is in the queue too
            }
            if (current < config.minFrequency()) {
                break;
            }
            int left = (int) (pair >>> 32);
            int right = (int) pair;
            int id = ByteLevelBpeTokenizer.FIRST_MERGE_ID + merges.size();
            merges.add(new int[] {left, right});
            Set<Integer> touched = wordsWithPair.remove(pair);
            Set<Long> changed = new HashSet<>();
            for (int w : touched) {
                int[] symbols = words.get(w);
                long count = wordCounts.get(w);
                countPairs(symbols, lengths[w], -count, -1, pairCounts, null, changed);
                lengths[w] = mergeInPlace(symbols, lengths[w], left, right, id);
                countPairs(symbols, lengths[w], count, w, pairCounts, wordsWithPair, changed);
            }
            pairCounts.remove(pair);
            changed.remove(pair);
            for (long key : changed) {
                long count = pairCounts.getOrDefault(key, 0L);
                if (count > 0) {
                    queue.add(new long[] {key, count});
                }
            }
        }
        return new ByteLevelBpeTokenizer(merges.toArray(new int[0][]), config.singleDigits());
    }

    private static void countPairs(
            int[] symbols,
            int length,
            long count,
            int word,
            Map<Long, Long> pairCounts,
            Map<Long, Set<Integer>> wordsWithPair,
            Set<Long> changed) {
        for (int i = 0; i + 1 < length; i++) {
            long key = ByteLevelBpeTokenizer.pairKey(symbols[i], symbols[i + 1]);
            long updated = pairCounts.merge(key, count, Long::sum);
            if (updated == 0) {
                pairCounts.remove(key);
            }
            if (changed != null) {
                changed.add(key);
            }
            if (wordsWithPair != null) {
                wordsWithPair.computeIfAbsent(key, k -> new HashSet<>()).add(word);
            }
        }
    }

    /**
     * Replaces each non-overlapping occurrence of (left, right), scanning left to right, by {@code
     * id}; returns the new length.
     */
    static int mergeInPlace(int[] symbols, int length, int left, int right, int id) {
        int out = 0;
        for (int i = 0; i < length; i++) {
            if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
                symbols[out++] = id;
                i++;
            } else {
                symbols[out++] = symbols[i];
            }
        }
        return out;
    }
}
