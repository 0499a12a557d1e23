package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.braid.fusion.Modality;
import dev.braid.text.transformer.TransformerLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Latent cross-attention fusion (Perceiver), {@link FusionKind#LATENT}: N learned latent queries
 * attend to the tokens of all modalities at once, then self-attend; the fused vector is the
 * latents' mean. Cost is linear in the total input length.
 *
 * <p>A {@link ModalityTypeEmbedding} is added to each modality's projected tokens. Padding and
 * absent modalities are masked out of the cross-attention, and a sample with no modality at all
 * gets weight 0.
 *
 * <p>Input as every {@link FusionBlock}; output {@code NDList(vectors [B, 1, D], weights [B, 1])}.
 */
public final class LatentCrossAttentionFusion extends FusionBlock {

    private final Parameter typeEmbedding;
    private final Parameter latents;
    private final CrossAttentionLayer cross;
    private final List<TransformerLayer> self = new ArrayList<>();

    LatentCrossAttentionFusion(FusionConfig config, List<Modality> modalities) {
        super(config, modalities);
        typeEmbedding =
                addParameter(ModalityTypeEmbedding.parameter(modalities.size(), config.width()));
        latents =
                addParameter(
                        Parameter.builder()
                                .setName("latents")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(config.latents(), config.width()))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        cross =
                addChildBlock(
                        "latentCross",
                        new CrossAttentionLayer(
                                config.layerConfig(), CrossAttentionLayer.Residual.PLAIN));
        for (int l = 0; l < config.layers(); l++) {
            self.add(
                    addChildBlock(
                            "latentSelf" + l, new TransformerLayer(config.layerConfig(), null)));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        List<Projected> projected = project(store, inputs, training);
        List<NDArray> tokens =
                ModalityTypeEmbedding.add(store, typeEmbedding, projected, inputs.head(), training);
        NDArray any = anyPresent(projected); // (B)
        NDArray all = concat(new NDList(tokens), 1); // (B, ΣL, D)
        NDList masks = new NDList();
        projected.forEach(p -> masks.add(p.mask()));
        NDArray mask = concat(masks, 1); // (B, ΣL)
        long batch = all.getShape().get(0);
        NDArray queries = store.getValue(latents, all.getDevice(), training); // (N, D)
        // Results of ops on a parameter join the parameter's manager: move this one to the step's.
        NDArray first = queries.expandDims(0); // (1, N, D)
        first.attach(all.getManager());
        NDArray h =
                first.broadcast(new Shape(batch, config.latents(), config.width())); // (B, N, D)
        h = cross.forward(store, new NDList(h, all, mask), training).singletonOrThrow();
        for (TransformerLayer layer : self) {
            h = layer.forward(store, new NDList(h), training).singletonOrThrow();
        }
        NDArray vector = h.mean(new int[] {1}); // (B, D)
        return new NDList(vector.expandDims(1), any.expandDims(1)); // (B, 1, D), (B, 1)
    }

    @Override
    protected void initializeFusion(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long total = 0;
        for (int i = 0; i < modalities.size(); i++) {
            total += inputShapes[2 * i].get(1);
        }
        Shape query = new Shape(batch, config.latents(), config.width());
        cross.initialize(
                manager,
                dataType,
                query,
                new Shape(batch, total, config.width()),
                new Shape(batch, total));
        for (TransformerLayer layer : self) {
            layer.initialize(manager, dataType, query);
        }
    }
}
