package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * LayerNorm or RMSNorm over the last axis.
 *
 * <p>Input {@code [..., D]}, output the same shape. LayerNorm learns a scale and a shift of width
 * D; RMSNorm only a scale. Written here rather than taken from DJL because DJL's {@code LayerNorm}
 * normalises a fixed set of axes, and Braid's norms must work on any rank ({@code [B, T, D]}
 * tokens, {@code [B, D]} pooled vectors).
 */
public final class Norm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final NormKind kind;
    private final int width;

    /** Added to the variance (or mean square) so an all-zero row stays finite. */
    public static final float EPSILON = 1e-5f;

    private final Parameter scale;
    private final Parameter shift;

    /**
     * Creates a norm of width {@code width}.
     *
     * @throws IllegalArgumentException if width is not positive
     */
    public Norm(NormKind kind, int width) {
        super(VERSION);
        if (width < 1) {
            throw new IllegalArgumentException("width (" + width + ") must be positive");
        }
        this.kind = kind;
        this.width = width;
        scale =
                addParameter(
                        Parameter.builder()
                                .setName("scale")
                                .setType(Parameter.Type.GAMMA)
                                .optShape(new Shape(width))
                                .build());
        shift =
                kind == NormKind.LAYER_NORM
                        ? addParameter(
                                Parameter.builder()
                                        .setName("shift")
                                        .setType(Parameter.Type.BETA)
                                        .optShape(new Shape(width))
                                        .build())
                        : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray gamma = store.getValue(scale, x.getDevice(), training);
        if (kind == NormKind.LAYER_NORM) {
            NDArray beta = store.getValue(shift, x.getDevice(), training);
            return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(width), gamma, beta, EPSILON);
        }
        NDArray rms =
                x.square().mean(new int[] {x.getShape().dimension() - 1}, true).add(EPSILON).sqrt();
        return new NDList(x.div(rms).mul(gamma));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        long last = inputShapes[0].tail();
        if (last != width) {
            throw new IllegalArgumentException(
                    "input width (" + last + ") must equal the norm's width (" + width + ")");
        }
    }
}
