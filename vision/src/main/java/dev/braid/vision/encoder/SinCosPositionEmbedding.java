package dev.braid.vision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.tensor.Sinusoids;

/**
 * A fixed 2D sine-cosine position code for a grid of {@code rows x cols} tokens (as in MAE).
 *
 * <p>Chosen over a learned table because it has no parameters, works for any grid size (so one
 * encoder serves 64 px and 224 px images), and cannot overfit on small data. The first half of the
 * D channels codes the row, the second half the column; in each half, channel pair {@code (2k,
 * 2k+1)} holds {@code (sin(p * w_k), cos(p * w_k))} with {@code w_k = 10000^(-4k / D)} and {@code
 * p} the row or column index. Token {@code t} is the cell {@code (t / cols, t % cols)}.
 */
public final class SinCosPositionEmbedding {

    private SinCosPositionEmbedding() {}

    /**
     * The code as a row-major table.
     *
     * @param rows H', rows of the grid
     * @param cols W', columns of the grid
     * @param width D, a multiple of 4
     * @return {@code rows * cols * width} floats, layout {@code (H'W', D)}
     */
    public static float[] table(int rows, int cols, int width) {
        if (width % 4 != 0) {
            throw new IllegalArgumentException("width (" + width + ") must be a multiple of 4");
        }
        int half = width / 2;
        float[] table = new float[rows * cols * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int base = (r * cols + c) * width;
                Sinusoids.interleaved(table, base, r, half); // the row's code, then the column's
                Sinusoids.interleaved(table, base + half, c, half);
            }
        }
        return table;
    }

    /** The code as an NDArray of shape {@code (H'W', D)} owned by {@code manager}. */
    public static NDArray create(NDManager manager, int rows, int cols, int width) {
        return manager.create(table(rows, cols, width), new Shape((long) rows * cols, width));
    }
}
