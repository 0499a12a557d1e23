package dev.braid.text.generate;

import java.util.Arrays;
import java.util.List;

/**
 * One generated sequence.
 *
 * @param tokens the generated ids, without the prompt and without the stop token
 * @param text the tokens decoded by the generator's tokenizer, cut before a stop string; empty
 *     without a tokenizer
 * @param reason why it ended
 * @param score beam search's length-normalised log-probability; for greedy and sampling, the sum of
 *     the chosen tokens' log-probabilities under the processed distribution
 */
public record Generated(int[] tokens, String text, FinishReason reason, double score) {

    public Generated {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /**
     * The batch's tokens as one rectangle, each row padded with {@code pad} to the longest.
     *
     * @return {@code [B][longest]}
     */
    public static int[][] padded(List<Generated> batch, int pad) {
        int longest = batch.stream().mapToInt(g -> g.tokens.length).max().orElse(0);
        int[][] rows = new int[batch.size()][];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = Arrays.copyOf(batch.get(b).tokens, longest);
            Arrays.fill(rows[b], batch.get(b).tokens.length, longest, pad);
        }
        return rows;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Generated g
                && Arrays.equals(tokens, g.tokens)
                && text.equals(g.text)
                && reason == g.reason
                && Double.compare(score, g.score) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return "Generated" + Arrays.toString(tokens) + " '" + text + "' " + reason;
    }
}
