package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.tensor.Sinusoids;

/**
 * Rotary position embedding, RoPE (Su et al., "RoFormer"): rotates each pair of query and key
 * features by an angle proportional to the position, so that the dot product of a query at i and a
 * key at j depends on i - j only.
 *
 * <p>Pairs are (feature k, feature k + Dh/2), the "rotate half" layout of GPT-NeoX and LLaMA; pair
 * k turns at frequency {@code 10000^(-2k/Dh)} ({@code dev.braid.tensor.Sinusoids}). Has no
 * parameters.
 */
public final class RotaryEmbedding {

    /** The base of the frequencies, as in the paper. */
    private final int headWidth;

    /**
     * @throws IllegalArgumentException if {@code headWidth} is odd
     */
    public RotaryEmbedding(int headWidth) {
        if (headWidth < 2 || headWidth % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head width, found " + headWidth);
        }
        this.headWidth = headWidth;
    }

    /**
     * Rotates queries or keys.
     *
     * @param x {@code [B, H, T, Dh]}, position t at index t
     * @return the rotated array, same shape
     */
    public NDArray apply(NDArray x) {
        return apply(x, 0);
    }

    /**
     * Rotates queries or keys that start at position {@code offset}: a decoder's new positions
     * after {@code offset} cached ones.
     *
     * @param x {@code [B, H, T, Dh]}, position {@code offset + t} at index t
     * @return the rotated array, same shape
     */
    public NDArray apply(NDArray x, int offset) {
        int length = Math.toIntExact(x.getShape().get(2));
        int half = headWidth / 2;
        float[] cos = new float[length * headWidth];
        float[] sin = new float[length * headWidth];
        for (int t = 0; t < length; t++) {
            for (int k = 0; k < half; k++) {
                double angle = Sinusoids.angle(offset + t, k, headWidth);
                int at = t * headWidth + k;
                cos[at] = cos[at + half] = (float) Math.cos(angle);
                sin[at] = sin[at + half] = (float) Math.sin(angle);
            }
        }
        NDManager manager = x.getManager();
        Shape shape = new Shape(length, headWidth);
        NDList halves = x.split(2, 3); // (B, H, T, Dh/2) each
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3); // (-x2, x1)
        return x.mul(manager.create(cos, shape)).add(rotated.mul(manager.create(sin, shape)));
    }
}
