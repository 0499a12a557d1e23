package dev.braid.text.tokenize;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A batch of encoded texts, padded to one length: row-major ids {@code [B, T]} and a mask {@code
 * [B, T]} that is true at real positions ({@code [CLS]}, the text's tokens, {@code [SEP]}) and
 * false at padding.
 *
 * @param size the number of texts B
 * @param length the padded length T
 * @param ids the token ids, {@code ids[b * length + t]}
 * @param mask true where a position holds a real token
 */
public record EncodedBatch(int size, int length, long[] ids, boolean[] mask) {

    public EncodedBatch {
        if (ids.length != size * length || mask.length != size * length) {
            throw new IllegalArgumentException(
                    "ids ("
                            + ids.length
                            + ") and mask ("
                            + mask.length
                            + ") must both hold size * length = "
                            + size * length
                            + " values");
        }
    }

    /** Returns the id at row {@code b}, position {@code t}. */
    public long id(int b, int t) {
        return ids[b * length + t];
    }

    /** Returns the number of real (unpadded) positions of row {@code b}. */
    public int realLength(int b) {
        int n = 0;
        for (int t = 0; t < length; t++) {
            n += mask[b * length + t] ? 1 : 0;
        }
        return n;
    }

    /**
     * Copies the batch into {@code manager} as {@code NDList(ids int64 [B, T], mask boolean [B,
     * T])}, the input of {@code TransformerTextEncoder}.
     */
    public NDList toNDList(NDManager manager) {
        Shape shape = new Shape(size, length);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape));
    }
}
