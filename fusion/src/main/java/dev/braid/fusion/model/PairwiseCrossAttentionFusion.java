package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.fusion.Modality;
import dev.braid.tensor.MaskedMean;
import dev.braid.text.transformer.AttentionBias;
import dev.braid.text.transformer.TransformerLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Pairwise cross-attention fusion (MulT), {@link FusionKind#PAIRWISE} and {@link FusionKind#GATED}:
 * each modality's tokens attend in turn to every other modality's tokens, one {@link
 * CrossAttentionLayer} per ordered pair, then self-attend within the modality, and are mean-pooled
 * over their real positions. Each modality a sample has casts one vote.
 *
 * <p>The layers' {@link CrossAttentionLayer.Residual} tells the two kinds apart: PAIRWISE adds each
 * cross-attention plainly; GATED (Flamingo) adds it through tanh gates that start at zero, so with
 * the gates closed this is exactly the unimodal path, and training opens them as far as the
 * modalities have something to tell each other.
 *
 * <p>A {@link ModalityTypeEmbedding} is added to each modality's projected tokens. Padding is
 * masked everywhere; a modality absent from a sample (all-false mask) adds nothing to the others
 * and gets weight 0.
 *
 * <p>Input as every {@link FusionBlock}; output {@code NDList(vectors [B, M, D], present [B, M])},
 * so the heads average one score per modality present.
 */
public final class PairwiseCrossAttentionFusion extends FusionBlock {

    private final Parameter typeEmbedding;
    private final TreeMap<Modality, TreeMap<Modality, CrossAttentionLayer>> cross =
            new TreeMap<>(); // [target][source]
    private final TreeMap<Modality, List<TransformerLayer>> self = new TreeMap<>();

    /**
     * @param residual how each cross-attention is added to the target's tokens
     */
    PairwiseCrossAttentionFusion(
            FusionConfig config, List<Modality> modalities, CrossAttentionLayer.Residual residual) {
        super(config, modalities);
        typeEmbedding =
                addParameter(ModalityTypeEmbedding.parameter(modalities.size(), config.width()));
        // Children in the order of the saved format: every pair's cross-attention, then every
        // modality's self-attention.
        for (Modality target : this.modalities) {
            TreeMap<Modality, CrossAttentionLayer> from = new TreeMap<>();
            for (Modality source : this.modalities) {
                if (source != target) {
                    from.put(
                            source,
                            addChildBlock(
                                    "cross" + target + "from" + source,
                                    new CrossAttentionLayer(config.layerConfig(), residual)));
                }
            }
            cross.put(target, from);
        }
        for (Modality target : this.modalities) {
            List<TransformerLayer> layers = new ArrayList<>();
            for (int l = 0; l < config.layers(); l++) {
                layers.add(
                        addChildBlock(
                                "self" + target + l,
                                new TransformerLayer(config.layerConfig(), null)));
            }
            self.put(target, layers);
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
        NDList vectors = new NDList();
        NDList weights = new NDList();
        for (int t = 0; t < modalities.size(); t++) {
            Modality target = modalities.get(t);
            NDArray h = tokens.get(t); // (B, L_t, D)
            for (int s = 0; s < modalities.size(); s++) {
                if (s != t) {
                    NDList in = new NDList(h, tokens.get(s), projected.get(s).mask());
                    CrossAttentionLayer layer = cross.get(target).get(modalities.get(s));
                    h = layer.forward(store, in, training).singletonOrThrow();
                }
            }
            NDArray bias = AttentionBias.keyPadding(projected.get(t).mask());
            for (TransformerLayer layer : self.get(target)) {
                h = layer.forward(store, new NDList(h, bias), training).singletonOrThrow();
            }
            NDArray pooled = MaskedMean.of(h, projected.get(t).mask()); // (B, D)
            vectors.add(pooled.expandDims(1)); // (B, 1, D)
            weights.add(projected.get(t).present().expandDims(1)); // (B, 1)
        }
        return new NDList(concat(vectors, 1), concat(weights, 1)); // (B, M, D), (B, M)
    }

    @Override
    protected int vectorCount() {
        return modalities.size();
    }

    @Override
    protected void initializeFusion(NDManager manager, DataType dataType, Shape... inputShapes) {
        // In the order forward uses the layers: each target's cross-attentions, then its own.
        for (int t = 0; t < modalities.size(); t++) {
            Modality target = modalities.get(t);
            Shape query = projectedShape(inputShapes[2 * t]);
            for (int s = 0; s < modalities.size(); s++) {
                if (s != t) {
                    Shape source = projectedShape(inputShapes[2 * s]);
                    cross.get(target)
                            .get(modalities.get(s))
                            .initialize(
                                    manager,
                                    dataType,
                                    query,
                                    source,
                                    new Shape(source.get(0), source.get(1)));
                }
            }
            for (TransformerLayer layer : self.get(target)) {
                layer.initialize(manager, dataType, query);
            }
        }
    }
}
