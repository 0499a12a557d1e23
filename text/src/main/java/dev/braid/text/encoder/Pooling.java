package dev.braid.text.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Turns a sequence of tokens {@code [B, T, D]} into one vector per sample {@code [B, D]}; the mean
 * over real positions is {@code dev.braid.tensor.MaskedMean}.
 */
public final class Pooling {

    private Pooling() {}

    /** The output at position 0, the {@code [CLS]} token. */
    public static NDArray cls(NDArray tokens) {
        return tokens.get(new NDIndex(":, 0, :"));
    }
}
