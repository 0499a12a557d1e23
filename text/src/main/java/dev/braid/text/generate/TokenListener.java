package dev.braid.text.generate;

/**
 * Receives generated tokens as they are chosen, for streaming: a server can send each one to the
 * client before the sequence is done. Called on the generating thread; both methods do nothing
 * unless overridden.
 *
 * <p>Greedy decoding and sampling call {@link #onToken} as each token is chosen. Beam search can
 * only know the tokens of a sequence when it ends (a better beam may replace it until then), so it
 * calls {@link #onToken} for all of them at the end, then {@link #onFinish}.
 */
public interface TokenListener {

    /** A listener that ignores everything. */
    TokenListener NONE = new TokenListener() {};

    /**
     * One more token of sequence {@code row}.
     *
     * @param row the sequence's index in the batch
     * @param token the chosen id (never a stop token)
     */
    default void onToken(int row, int token) {}

    /** Sequence {@code row} is complete. */
    default void onFinish(int row, Generated sequence) {}
}
