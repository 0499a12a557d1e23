package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.fusion.Modality;
import dev.braid.tensor.MaskedMean;
import java.util.ArrayList;
import java.util.List;

/**
 * Baseline: no interaction before the heads. Each modality's pooled tokens go through its own
 * hidden layer; the heads then score each modality's vector and average the logits over the
 * modalities a sample has, which makes it one head per modality with averaged logits. Output {@code
 * NDList(vectors [B, M, D], weights [B, M])}, the weights being presence.
 */
public final class LateFusion extends FusionBlock {

    private final List<Linear> hidden = new ArrayList<>();

    LateFusion(FusionConfig config, List<Modality> modalities) {
        super(config, modalities);
        for (Modality m : modalities) {
            hidden.add(
                    addChildBlock("hidden" + m, Linear.builder().setUnits(config.width()).build()));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        List<Projected> projected = project(store, inputs, training);
        NDList vectors = new NDList();
        NDList weights = new NDList();
        for (int i = 0; i < projected.size(); i++) {
            NDArray pooled = MaskedMean.of(projected.get(i).tokens(), projected.get(i).mask());
            NDArray h =
                    Activation.gelu(
                            hidden.get(i)
                                    .forward(store, new NDList(pooled), training)
                                    .singletonOrThrow());
            vectors.add(h.expandDims(1)); // (B, 1, D)
            weights.add(projected.get(i).present().expandDims(1)); // (B, 1)
        }
        return new NDList(concat(vectors, 1), concat(weights, 1));
    }

    @Override
    protected int vectorCount() {
        return modalities.size();
    }

    @Override
    protected void initializeFusion(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pooled = new Shape(inputShapes[0].get(0), config.width());
        hidden.forEach(h -> h.initialize(manager, dataType, pooled));
    }
}
