package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import dev.braid.fusion.model.FusionBlock.Projected;
import java.util.ArrayList;
import java.util.List;

/**
 * A learned vector per modality, {@code [M, D]}, added to every projected token of that modality,
 * so that attention over several modalities' tokens can tell them apart. The cross-attention
 * fusions hold it as their parameter {@code typeEmbedding}.
 */
final class ModalityTypeEmbedding {

    private ModalityTypeEmbedding() {}

    /** Returns the parameter {@code typeEmbedding [M, D]}, initialised from N(0, 0.02²). */
    static Parameter parameter(int modalities, int width) {
        return Parameter.builder()
                .setName("typeEmbedding")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(modalities, width))
                .optInitializer(new NormalInitializer(0.02f))
                .build();
    }

    /**
     * Returns each modality's projected tokens plus its type vector, {@code [B, L_m, D]} each, in
     * the order of {@code projected}.
     *
     * @param like an array of the step, whose device and manager the type vectors are taken to
     */
    static List<NDArray> add(
            ParameterStore store,
            Parameter typeEmbedding,
            List<Projected> projected,
            NDArray like,
            boolean training) {
        NDArray types = store.getValue(typeEmbedding, like.getDevice(), training); // (M, D)
        List<NDArray> tokens = new ArrayList<>();
        for (int i = 0; i < projected.size(); i++) {
            NDArray type = types.get(like.getManager(), new NDIndex("{}:{}", i, i + 1)); // (1, D)
            tokens.add(projected.get(i).tokens().add(type)); // (B, L, D)
        }
        return tokens;
    }
}
