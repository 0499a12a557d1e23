package dev.braid.text.generate;

/** Why a generated sequence ended. */
public enum FinishReason {
    /** A stop token was chosen (it is not part of the output). */
    STOP_TOKEN,
    /** The decoded text came to contain a stop string (the text is cut before it). */
    STOP_STRING,
    /** The sequence reached {@code maxNewTokens}, or the decoder's {@code maxLength}. */
    MAX_LENGTH
}
