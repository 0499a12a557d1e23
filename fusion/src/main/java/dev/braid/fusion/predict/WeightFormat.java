package dev.braid.fusion.predict;

/** How a model directory stores its weights. */
public enum WeightFormat {
    /** {@code model.params}: DJL's parameter file, float32. */
    FLOAT32,
    /**
     * {@code model.int8.params}: weight matrices and kernels as int8 with per-channel scales, the
     * rest float32 ({@link dev.braid.fusion.compress.Int8Weights}); about 4x smaller.
     */
    INT8
}
