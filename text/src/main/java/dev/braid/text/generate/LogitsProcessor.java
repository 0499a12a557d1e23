package dev.braid.text.generate;

/**
 * One step of the chain that turns a decoder's raw logits into the distribution the next token is
 * chosen from, as Hugging Face's logits processors: each changes the logits of one sequence in
 * place, and a token set to {@link #BANNED} cannot be chosen.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /** The logit of a token that must not be chosen. */
    float BANNED = Float.NEGATIVE_INFINITY;

    /**
     * Changes {@code logits} in place.
     *
     * @param tokens the sequence so far, prompt first
     * @param generated how many of {@code tokens} were generated (the rest is the prompt)
     * @param logits one logit per vocabulary id, V long
     */
    void process(int[] tokens, int generated, float[] logits);
}
