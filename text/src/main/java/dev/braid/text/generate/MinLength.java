package dev.braid.text.generate;

/**
 * Bans the stop tokens until {@code minNewTokens} tokens have been generated.
 *
 * @param minNewTokens the fewest tokens to generate
 * @param stopTokens the ids that end a sequence
 */
public record MinLength(int minNewTokens, int[] stopTokens) implements LogitsProcessor {

    public MinLength {
        if (minNewTokens < 0) {
            throw new IllegalArgumentException(
                    "minNewTokens (" + minNewTokens + ") must not be negative");
        }
        stopTokens = stopTokens.clone();
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        if (generated < minNewTokens) {
            for (int stop : stopTokens) {
                logits[stop] = BANNED;
            }
        }
    }
}
