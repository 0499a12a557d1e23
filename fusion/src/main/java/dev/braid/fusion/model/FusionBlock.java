package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.tensor.MaskedMean;
import dev.braid.tensor.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What every fusion shares: the modalities it reads, in enum order, and a projection of each
 * modality's tokens from its encoder's width to the fusion width D.
 *
 * <p>Input {@code NDList(tokens_1, mask_1, tokens_2, mask_2, ...)}, one pair per modality; output
 * {@code NDList(vectors [B, K, D], weights [B, K])} (see the package documentation).
 */
public abstract class FusionBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    protected final FusionConfig config;
    protected final List<Modality> modalities;
    private final TreeMap<Modality, Linear> projections = new TreeMap<>();

    protected FusionBlock(FusionConfig config, List<Modality> modalities) {
        super(VERSION);
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException("a fusion needs at least one modality");
        }
        this.config = config;
        this.modalities = List.copyOf(modalities);
        for (Modality m : this.modalities) {
            projections.put(
                    m,
                    addChildBlock(
                            "project" + m, Linear.builder().setUnits(config.width()).build()));
        }
    }

    /** Creates the fusion {@code config.kind()} names. */
    public static FusionBlock create(FusionConfig config, List<Modality> modalities) {
        return switch (config.kind()) {
            case PAIRWISE ->
                    new PairwiseCrossAttentionFusion(
                            config, modalities, CrossAttentionLayer.Residual.PLAIN);
            case LATENT -> new LatentCrossAttentionFusion(config, modalities);
            case GATED ->
                    new PairwiseCrossAttentionFusion(
                            config, modalities, CrossAttentionLayer.Residual.TANH_GATED);
            case EARLY -> new EarlyFusion(config, modalities);
            case LATE -> new LateFusion(config, modalities);
            case GATED_UNIT -> new GatedMultimodalUnit(config, modalities);
        };
    }

    /**
     * One modality's projected tokens {@code [B, L, D]}, mask {@code [B, L]}, presence {@code [B]}.
     */
    protected record Projected(NDArray tokens, NDArray mask, NDArray present) {}

    /** Projects every modality's tokens to the fusion width. */
    protected List<Projected> project(ParameterStore store, NDList inputs, boolean training) {
        List<Projected> out = new ArrayList<>();
        for (int i = 0; i < modalities.size(); i++) {
            NDArray tokens = inputs.get(2 * i);
            NDArray mask = inputs.get(2 * i + 1);
            NDArray projected =
                    projections
                            .get(modalities.get(i))
                            .forward(store, new NDList(tokens), training)
                            .singletonOrThrow();
            NDArray present = mask.toType(DataType.FLOAT32, false).max(new int[] {1}); // (B)
            out.add(new Projected(projected, mask, present));
        }
        return out;
    }

    /**
     * Each modality's own vector before any fusion, for alignment losses: the masked mean of its
     * projected tokens {@code [B, D]}, zeros where the sample lacks the modality.
     *
     * @param inputs as {@code forward} takes them
     * @return {@code NDList(embedding_1, present_1, embedding_2, present_2, ...)}, presence float
     *     {@code [B]}
     */
    public NDList embeddings(ParameterStore store, NDList inputs, boolean training) {
        NDList out = new NDList();
        for (Projected p : project(store, inputs, training)) {
            out.add(MaskedMean.of(p.tokens(), p.mask()));
            out.add(p.present());
        }
        return out;
    }

    /** Returns the projected token shapes, for initialising the layers after the projection. */
    protected Shape projectedShape(Shape tokens) {
        return new Shape(tokens.get(0), tokens.get(1), config.width());
    }

    /**
     * Concatenates along {@code axis}. Not {@code NDArrays.concat}: for a single array it returns a
     * duplicate cut off from autograd, so a one-modality model would never train its encoder.
     */
    protected static NDArray concat(NDList parts, int axis) {
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, axis);
    }

    /**
     * How much each fused vector counts, the weights scaled to sum to 1 per sample: {@code [B, K]}
     * from {@code weights [B, K]}; all zeros for a sample with no weight (no modality).
     */
    public static NDArray shares(NDArray weights) {
        return weights.div(Scalars.maximum(weights.sum(new int[] {1}, true), 1e-6f));
    }

    /** Whether a sample has any modality at all: {@code [B]}, 0 or 1. */
    protected static NDArray anyPresent(List<Projected> projected) {
        NDArray any = projected.get(0).present();
        for (int i = 1; i < projected.size(); i++) {
            any = any.maximum(projected.get(i).present());
        }
        return any;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < modalities.size(); i++) {
            projections.get(modalities.get(i)).initialize(manager, dataType, inputShapes[2 * i]);
        }
        initializeFusion(manager, dataType, inputShapes);
    }

    /** Initialises the layers after the projections. */
    protected abstract void initializeFusion(
            NDManager manager, DataType dataType, Shape... inputShapes);

    /** K, the number of vectors this fusion returns per sample. */
    protected int vectorCount() {
        return 1;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {
            new Shape(batch, vectorCount(), config.width()), new Shape(batch, vectorCount())
        };
    }
}
