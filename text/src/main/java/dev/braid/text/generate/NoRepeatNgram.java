package dev.braid.text.generate;

import java.util.Arrays;

/**
 * Bans every token that would complete an n-gram already in the sequence (prompt included): with n
 * = 2, after "a b ... a" the token "b" is banned.
 *
 * @param n the n-gram length, at least 1
 */
public record NoRepeatNgram(int n) implements LogitsProcessor {

    public NoRepeatNgram {
        if (n < 1) {
            throw new IllegalArgumentException("noRepeatNgramSize (" + n + ") must be at least 1");
        }
    }

    @Override
    public void process(int[] tokens, int generated, float[] logits) {
        int length = tokens.length;
        if (length < n - 1) {
            return;
        }
        int[] tail = Arrays.copyOfRange(tokens, length - (n - 1), length); // the last n - 1
        for (int start = 0; start + n <= length; start++) {
            if (Arrays.equals(tokens, start, start + n - 1, tail, 0, n - 1)) {
                int completing = tokens[start + n - 1];
                if (completing >= 0 && completing < logits.length) {
                    logits[completing] = BANNED;
                }
            }
        }
    }
}
