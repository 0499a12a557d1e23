package dev.braid.fusion.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level overlap of generated texts with references, on a 0–100 scale: chrF (Popović 2015)
 * and BLEU (Papineni et al. 2002). Both sum their n-gram statistics over the whole corpus before
 * dividing, so a short or empty sentence does not get a score of its own.
 *
 * <ul>
 *   <li>chrF: character n-grams of orders 1..6 with whitespace removed; per order precision and
 *       recall of the summed clipped matches, averaged over the orders; F with β = 2 (recall weighs
 *       twice as much).
 *   <li>BLEU: word n-grams of orders 1..4, clipped by the reference counts, geometric mean of the
 *       four precisions times the brevity penalty {@code exp(1 - r / c)} when the hypotheses are
 *       shorter than the references; 0 if an order has no match. Words: each CJK character is a
 *       word, punctuation is split off, the rest is split at whitespace.
 * </ul>
 */
public final class TextOverlap {

    private TextOverlap() {}

    /** Corpus chrF of {@code hypotheses} against {@code references} (one each, same order). */
    public static double chrF(List<String> hypotheses, List<String> references) {
        return chrF(hypotheses, references, 6, 2.0);
    }

    /**
     * Corpus chrF with character n-grams of orders 1..{@code maxOrder} and F-β.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static double chrF(
            List<String> hypotheses, List<String> references, int maxOrder, double beta) {
        check(hypotheses, references);
        long[] matches = new long[maxOrder];
        long[] hypCount = new long[maxOrder];
        long[] refCount = new long[maxOrder];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = characters(hypotheses.get(i));
            List<String> ref = characters(references.get(i));
            count(hyp, ref, maxOrder, matches, hypCount, refCount);
        }
        double precision = 0;
        double recall = 0;
        for (int n = 0; n < maxOrder; n++) {
            precision += hypCount[n] == 0 ? 0 : matches[n] / (double) hypCount[n];
            recall += refCount[n] == 0 ? 0 : matches[n] / (double) refCount[n];
        }
        precision /= maxOrder;
        recall /= maxOrder;
        double b2 = beta * beta;
        double denominator = b2 * precision + recall;
        return denominator == 0 ? 0 : 100 * (1 + b2) * precision * recall / denominator;
    }

    /**
     * Corpus BLEU of {@code hypotheses} against one reference each.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static double bleu(List<String> hypotheses, List<String> references) {
        check(hypotheses, references);
        int maxOrder = 4;
        long[] matches = new long[maxOrder];
        long[] hypCount = new long[maxOrder];
        long[] refCount = new long[maxOrder];
        long hypLength = 0;
        long refLength = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = words(hypotheses.get(i));
            List<String> ref = words(references.get(i));
            hypLength += hyp.size();
            refLength += ref.size();
            count(hyp, ref, maxOrder, matches, hypCount, refCount);
        }
        double logSum = 0;
        for (int n = 0; n < maxOrder; n++) {
            if (matches[n] == 0) {
                return 0;
            }
            logSum += Math.log(matches[n] / (double) hypCount[n]);
        }
        double brevity = hypLength < refLength ? Math.exp(1 - refLength / (double) hypLength) : 1;
        return 100 * brevity * Math.exp(logSum / maxOrder);
    }

    /** Adds one sentence pair's clipped n-gram matches and counts, per order. */
    private static void count(
            List<String> hyp,
            List<String> ref,
            int maxOrder,
            long[] matches,
            long[] hypCount,
            long[] refCount) {
        for (int n = 1; n <= maxOrder; n++) {
            Map<String, Integer> h = ngrams(hyp, n);
            Map<String, Integer> r = ngrams(ref, n);
            for (Map.Entry<String, Integer> e : h.entrySet()) {
                matches[n - 1] += Math.min(e.getValue(), r.getOrDefault(e.getKey(), 0));
                hypCount[n - 1] += e.getValue();
            }
            for (int c : r.values()) {
                refCount[n - 1] += c;
            }
        }
    }

    private static Map<String, Integer> ngrams(List<String> units, int n) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= units.size(); i++) {
            out.merge(String.join("\u0001", units.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }

    private static List<String> characters(String text) {
        List<String> out = new ArrayList<>();
        text.codePoints()
                .filter(c -> !Character.isWhitespace(c))
                .forEach(c -> out.add(new String(Character.toChars(c))));
        return out;
    }

    /** BLEU's words: CJK characters and punctuation one each, other runs split at whitespace. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints()
                .forEach(
                        c -> {
                            boolean alone =
                                    Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN
                                            || (!Character.isLetterOrDigit(c)
                                                    && !Character.isWhitespace(c));
                            if (Character.isWhitespace(c) || alone) {
                                if (word.length() > 0) {
                                    out.add(word.toString());
                                    word.setLength(0);
                                }
                                if (alone) {
                                    out.add(new String(Character.toChars(c)));
                                }
                            } else {
                                word.appendCodePoint(c);
                            }
                        });
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    private static void check(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(
                    hypotheses.size()
                            + " hypotheses but "
                            + references.size()
                            + " references: give one reference per hypothesis");
        }
    }
}
