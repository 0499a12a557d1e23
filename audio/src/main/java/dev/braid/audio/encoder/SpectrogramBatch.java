package dev.braid.audio.encoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.audio.features.Features;
import java.util.List;

/** Stacks per-clip features into the {@link SpectrogramEncoder}'s input. */
public final class SpectrogramBatch {

    private SpectrogramBatch() {}

    /**
     * Crops or pads every clip to {@code width} frames and stacks them.
     *
     * @param manager the manager that owns the arrays (a per-batch sub-manager)
     * @param clips features with equal row counts M
     * @param width the padded frame count F
     * @return {@code NDList(logMel (B, M, F) float, lengths (B) int)}, lengths being each clip's
     *     real frames after cropping
     */
    public static NDList of(NDManager manager, List<Features> clips, int width) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("clips must not be empty");
        }
        int mels = clips.get(0).rows();
        float[] data = new float[clips.size() * mels * width];
        int[] lengths = new int[clips.size()];
        for (int b = 0; b < clips.size(); b++) {
            Features f = clips.get(b);
            if (f.rows() != mels) {
                throw new IllegalArgumentException(
                        "clip " + b + " has " + f.rows() + " rows; clip 0 has " + mels);
            }
            Features fitted = f.fit(width);
            lengths[b] = fitted.frames();
            for (int m = 0; m < mels; m++) {
                System.arraycopy(fitted.values()[m], 0, data, (b * mels + m) * width, width);
            }
        }
        return new NDList(
                manager.create(data, new Shape(clips.size(), mels, width)), // (B, M, F)
                manager.create(lengths)); // (B)
    }
}
