package dev.braid.text.generate;

/**
 * CTRL's repetition penalty (Keskar et al. 2019): every token already in the sequence (prompt
 * included) becomes less likely, a positive logit divided by the penalty, a negative one multiplied
 * by it, so that the penalty always pushes down.
 *
 * @param penalty at least 1; 1 changes nothing
 */
public record RepetitionPenalty(float penalty) implements LogitsProcessor {

    public RepetitionPenalty {
        if (!(penalty >= 1) || Float.isInfinite(penalty)) {
            throw new IllegalArgumentException(
                    "repetitionPenalty (" + penalty + ") must be at least 1 and finite");
        }
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        boolean[] seen = new boolean[logits.length];
        for (int token : tokens) {
            if (token >= 0 && token < logits.length && !seen[token]) {
                seen[token] = true;
                float logit = logits[token];
                logits[token] = logit > 0 ? logit / penalty : logit * penalty;
            }
        }
    }
}
