package dev.braid.text.generate;

/**
 * Min-p sampling (Nguyen et al. 2024): bans every token less likely than {@code minP} times the
 * most likely one, so the kept set shrinks when the model is sure and widens when it is not.
 *
 * @param minP in [0, 1]; 0 keeps every token
 */
public record MinP(float minP) implements LogitsProcessor {

    public MinP {
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("minP (" + minP + ") must be in [0, 1]");
        }
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        double[] probabilities = Ranking.probabilities(logits);
        double best = probabilities[Ranking.argmax(logits)];
        for (int v = 0; v < logits.length; v++) {
            if (probabilities[v] < minP * best) {
                logits[v] = BANNED;
            }
        }
    }
}
