package dev.braid.text.generate;

/**
 * Keeps the k most likely tokens and bans the rest (Fan et al. 2018); among equal logits the lower
 * id wins, so that top-k 1 is exactly greedy.
 *
 * @param k at least 1
 */
public record TopK(int k) implements LogitsProcessor {

    public TopK {
        if (k < 1) {
            throw new IllegalArgumentException("topK (" + k + ") must be at least 1");
        }
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        if (k >= logits.length) {
            return;
        }
        int[] order = Ranking.descending(logits);
        for (int rank = k; rank < order.length; rank++) {
            logits[order[rank]] = BANNED;
        }
    }
}
