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
import dev.braid.tensor.Scalars;
import dev.braid.text.transformer.AttentionBias;
import java.util.ArrayList;
import java.util.List;

/**
 * Baseline: the gated multimodal unit (Arevalo et al., 2017), generalised to M modalities. Each
 * pooled modality gives {@code h_m = tanh(W_m x_m)}; a gate {@code z = softmax(W_z [x_1..x_M])},
 * restricted to the modalities present, mixes them: {@code sum_m z_m h_m}. Output {@code
 * NDList(vectors [B, 1, D], weights [B, 1])}.
 */
public final class GatedMultimodalUnit extends FusionBlock {

    private final List<Linear> values = new ArrayList<>();
    private final Linear gate;

    GatedMultimodalUnit(FusionConfig config, List<Modality> modalities) {
        super(config, modalities);
        for (Modality m : modalities) {
            values.add(
                    addChildBlock("value" + m, Linear.builder().setUnits(config.width()).build()));
        }
        gate = addChildBlock("gate", Linear.builder().setUnits(modalities.size()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        List<Projected> projected = project(store, inputs, training);
        NDList pooled = new NDList();
        NDList hidden = new NDList();
        NDList present = new NDList();
        for (int i = 0; i < projected.size(); i++) {
            NDArray x = MaskedMean.of(projected.get(i).tokens(), projected.get(i).mask()); // (B, D)
            pooled.add(x);
            hidden.add(
                    Activation.tanh(
                                    values.get(i)
                                            .forward(store, new NDList(x), training)
                                            .singletonOrThrow())
                            .expandDims(1));
            present.add(projected.get(i).present().expandDims(1));
        }
        NDArray scores =
                gate.forward(store, new NDList(concat(pooled, 1)), training)
                        .singletonOrThrow(); // (B, M)
        NDArray presence = concat(present, 1); // (B, M)
        NDArray z =
                scores.add(Scalars.mul(presence.sub(1f), -AttentionBias.BLOCKED))
                        .softmax(1); // absent -> 0
        NDArray mixed = concat(hidden, 1).mul(z.expandDims(2)).sum(new int[] {1}); // (B, D)
        return new NDList(mixed.expandDims(1), anyPresent(projected).expandDims(1));
    }

    @Override
    protected void initializeFusion(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape pooled = new Shape(batch, config.width());
        values.forEach(v -> v.initialize(manager, dataType, pooled));
        gate.initialize(
                manager, dataType, new Shape(batch, (long) modalities.size() * config.width()));
    }
}
