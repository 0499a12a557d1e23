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
import java.util.List;

/**
 * Baseline: each modality's projected tokens are mean-pooled, the pooled vectors (zeros for an
 * absent modality) and the presence flags are concatenated, and an MLP maps them to D. Output
 * {@code NDList(vectors [B, 1, D], weights [B, 1])}.
 */
public final class EarlyFusion extends FusionBlock {

    private final Linear hidden;
    private final Linear output;

    EarlyFusion(FusionConfig config, List<Modality> modalities) {
        super(config, modalities);
        hidden = addChildBlock("hidden", Linear.builder().setUnits(config.width()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.width()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        List<Projected> projected = project(store, inputs, training);
        NDList parts = new NDList();
        for (Projected p : projected) {
            parts.add(MaskedMean.of(p.tokens(), p.mask())); // (B, D)
        }
        for (Projected p : projected) {
            parts.add(p.present().expandDims(1)); // (B, 1)
        }
        NDArray x = concat(parts, 1); // (B, M·D + M)
        x = Activation.gelu(hidden.forward(store, new NDList(x), training).singletonOrThrow());
        x = output.forward(store, new NDList(x), training).singletonOrThrow();
        return new NDList(x.expandDims(1), anyPresent(projected).expandDims(1));
    }

    @Override
    protected void initializeFusion(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        int m = modalities.size();
        hidden.initialize(manager, dataType, new Shape(batch, (long) m * config.width() + m));
        output.initialize(manager, dataType, new Shape(batch, config.width()));
    }
}
