package dev.braid.vision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

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
}
