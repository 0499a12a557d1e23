package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.braid.fusion.Modality;
import dev.braid.tensor.MaskedMean;
import dev.braid.text.transformer.AttentionBias;
import dev.braid.text.transformer.TransformerLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-attention fusion, Braid's default, in three modes ({@link FusionKind}):
 *
 * <ul>
 *   <li>{@code PAIRWISE} (MulT): every modality's tokens attend to every other modality's tokens,
 *       one {@link CrossAttentionLayer} per ordered pair, then self-attention within the modality,
 *       then masked mean pooling; the pooled vectors are averaged over the modalities a sample has.
 *   <li>{@code GATED} (Flamingo): the same, with every cross-attention added through a tanh gate
 *       that starts at zero, so training starts from the unimodal path.
 *   <li>{@code LATENT} (Perceiver): N learned latents attend to the tokens of all modalities at
 *       once, then self-attend; the output is the latents' mean. Cost is linear in input length.
 * </ul>
 *
 * <p>A learned modality-type embedding is added to each modality's projected tokens. Padding is
 * masked everywhere; a modality absent from a sample (all-false mask) contributes nothing, and a
 * sample with no modality at all gets weight 0. Output {@code NDList(vectors [B, 1, D], weights [B,
 * 1])}.
 */
public final class CrossAttentionFusion extends FusionBlock {

    private final Parameter typeEmbedding;
    private final Parameter latents;
    private final List<CrossAttentionLayer> cross = new ArrayList<>(); // pairwise: [target][source]
    private final List<TransformerLayer> self =
            new ArrayList<>(); // pairwise: per modality x layers

    CrossAttentionFusion(FusionConfig config, List<Modality> modalities) {
        super(config, modalities);
        int m = modalities.size();
        typeEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("typeEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(m, config.width()))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        if (config.kind() == FusionKind.LATENT) {
            latents =
                    addParameter(
                            Parameter.builder()
                                    .setName("latents")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(config.latents(), config.width()))
                                    .optInitializer(new NormalInitializer(0.02f))
                                    .build());
            cross.add(
                    addChildBlock(
                            "latentCross",
                            new CrossAttentionLayer(
                                    config.layerConfig(), CrossAttentionLayer.Residual.PLAIN)));
            for (int l = 0; l < config.layers(); l++) {
                self.add(
                        addChildBlock(
                                "latentSelf" + l,
                                new TransformerLayer(config.layerConfig(), null)));
            }
        } else {
            latents = null;
            CrossAttentionLayer.Residual residual =
                    config.kind() == FusionKind.GATED
                            ? CrossAttentionLayer.Residual.TANH_GATED
                            : CrossAttentionLayer.Residual.PLAIN;
            for (Modality target : modalities) {
                for (Modality source : modalities) {
                    if (source != target) {
                        cross.add(
                                addChildBlock(
                                        "cross" + target + "from" + source,
                                        new CrossAttentionLayer(config.layerConfig(), residual)));
                    }
                }
            }
            for (Modality target : modalities) {
                for (int l = 0; l < config.layers(); l++) {
                    self.add(
                            addChildBlock(
                                    "self" + target + l,
                                    new TransformerLayer(config.layerConfig(), null)));
                }
            }
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        List<Projected> projected = project(store, inputs, training);
        NDArray types = store.getValue(typeEmbedding, inputs.head().getDevice(), training);
        List<NDArray> tokens = new ArrayList<>();
        for (int i = 0; i < projected.size(); i++) {
            tokens.add(
                    projected
                            .get(i)
                            .tokens()
                            .add(
                                    types.get(
                                            inputs.head().getManager(),
                                            new NDIndex("{}:{}", i, i + 1)))); // (B, L, D)
        }
        NDArray any = anyPresent(projected);
        if (config.kind() == FusionKind.LATENT) {
            NDArray vector = latent(store, projected, tokens, training);
            return new NDList(vector.expandDims(1), any.expandDims(1)); // (B, 1, D), (B, 1)
        }
        return pairwise(store, projected, tokens, training);
    }

    /**
     * Each modality's tokens, enriched by attending to the others, are pooled and vote: {@code
     * NDList(vectors [B, M, D], present [B, M])}, so the heads average one score per modality
     * present. With the gates of GATED closed this is exactly late fusion; the cross-attention adds
     * what the modalities tell each other.
     */
    private NDList pairwise(
            ParameterStore store,
            List<Projected> projected,
            List<NDArray> tokens,
            boolean training) {
        int m = projected.size();
        NDList vectors = new NDList();
        NDList weights = new NDList();
        int crossIndex = 0;
        for (int t = 0; t < m; t++) {
            NDArray h = tokens.get(t);
            for (int s = 0; s < m; s++) {
                if (s != t) {
                    NDList in = new NDList(h, tokens.get(s), projected.get(s).mask());
                    h = cross.get(crossIndex++).forward(store, in, training).singletonOrThrow();
                }
            }
            NDArray bias = AttentionBias.keyPadding(projected.get(t).mask());
            for (int l = 0; l < config.layers(); l++) {
                h =
                        self.get(t * config.layers() + l)
                                .forward(store, new NDList(h, bias), training)
                                .singletonOrThrow();
            }
            NDArray pooled = MaskedMean.of(h, projected.get(t).mask()); // (B, D)
            vectors.add(pooled.expandDims(1)); // (B, 1, D)
            weights.add(projected.get(t).present().expandDims(1)); // (B, 1)
        }
        return new NDList(concat(vectors, 1), concat(weights, 1));
    }

    private NDArray latent(
            ParameterStore store,
            List<Projected> projected,
            List<NDArray> tokens,
            boolean training) {
        NDArray all = concat(new NDList(tokens), 1); // (B, ΣL, D)
        NDList masks = new NDList();
        projected.forEach(p -> masks.add(p.mask()));
        NDArray mask = concat(masks, 1); // (B, ΣL)
        long batch = all.getShape().get(0);
        NDArray queries = store.getValue(latents, all.getDevice(), training);
        // Results of ops on a parameter join the parameter's manager: move this one to the step's.
        NDArray first = queries.expandDims(0);
        first.attach(all.getManager());
        NDArray h =
                first.broadcast(new Shape(batch, config.latents(), config.width())); // (B, N, D)
        h = cross.get(0).forward(store, new NDList(h, all, mask), training).singletonOrThrow();
        for (TransformerLayer layer : self) {
            h = layer.forward(store, new NDList(h), training).singletonOrThrow();
        }
        return h.mean(new int[] {1}); // (B, D)
    }

    @Override
    protected int vectorCount() {
        return config.kind() == FusionKind.LATENT ? 1 : modalities.size();
    }

    @Override
    protected void initializeFusion(NDManager manager, DataType dataType, Shape... inputShapes) {
        int m = modalities.size();
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            shapes.add(projectedShape(inputShapes[2 * i]));
        }
        if (config.kind() == FusionKind.LATENT) {
            long batch = shapes.get(0).get(0);
            long total = shapes.stream().mapToLong(s -> s.get(1)).sum();
            Shape query = new Shape(batch, config.latents(), config.width());
            cross.get(0)
                    .initialize(
                            manager,
                            dataType,
                            query,
                            new Shape(batch, total, config.width()),
                            new Shape(batch, total));
            for (TransformerLayer layer : self) {
                layer.initialize(manager, dataType, query);
            }
            return;
        }
        int crossIndex = 0;
        for (int t = 0; t < m; t++) {
            for (int s = 0; s < m; s++) {
                if (s != t) {
                    Shape source = shapes.get(s);
                    cross.get(crossIndex++)
                            .initialize(
                                    manager,
                                    dataType,
                                    shapes.get(t),
                                    source,
                                    new Shape(source.get(0), source.get(1)));
                }
            }
            for (int l = 0; l < config.layers(); l++) {
                self.get(t * config.layers() + l).initialize(manager, dataType, shapes.get(t));
            }
        }
    }
}
