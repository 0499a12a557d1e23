package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the operations of the calling thread for a backward pass, until closed.
 *
 * <p>DJL's {@code GradientCollector} allows one collector in the whole process at a time (a static
 * flag), so two micro-batches cannot run their forward and backward passes at once through it.
 * libtorch's gradient mode is a per-thread setting, and a backward pass over one thread's graph
 * does not touch another's: this sets the mode on the calling thread only.
 */
final class GradientRecording implements AutoCloseable {

    private final boolean wasRecording;

    private GradientRecording() {
        wasRecording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording on the calling thread. */
    static GradientRecording start() {
        return new GradientRecording();
    }

    /** Adds the gradients of the scalar {@code target} to those of the parameters it depends on. */
    void backward(NDArray target) {
        try (NDArray seed = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(wasRecording);
    }
}
