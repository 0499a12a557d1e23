package dev.braid.vision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/** The activation used after every BatchNorm of the image encoder. */
public enum Nonlinearity {
    RELU,
    GELU;

    /** Applies the activation element-wise. */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case RELU -> Activation.relu(x);
            case GELU -> Activation.gelu(x);
        };
    }

    /** The activation as a parameter-free block, for use in a {@code SequentialBlock}. */
    public Block block() {
        return switch (this) {
            case RELU -> Activation.reluBlock();
            case GELU -> Activation.geluBlock();
        };
    }
}
