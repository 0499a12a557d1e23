package dev.braid.text.generate;

/**
 * Nucleus sampling (Holtzman et al. 2020): keeps the smallest set of most likely tokens whose
 * probabilities sum to at least p, and bans the rest. The most likely token always stays.
 *
 * @param p in (0, 1]; 1 keeps every token
 */
public record TopP(float p) implements LogitsProcessor {

    public TopP {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("topP (" + p + ") must be in (0, 1]");
        }
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        double[] probabilities = Ranking.probabilities(logits);
        int[] order = Ranking.descending(logits);
        double mass = 0;
        int rank = 0;
        while (rank < order.length && mass < p) {
            mass += probabilities[order[rank++]];
        }
        for (; rank < order.length; rank++) {
            logits[order[rank]] = BANNED;
        }
    }
}
