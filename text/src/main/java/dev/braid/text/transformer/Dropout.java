package dev.braid.text.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.tensor.ForwardRandom;
import java.util.SplittableRandom;

/**
 * Inverted dropout: in training, each element is zeroed with probability {@code rate} and the rest
 * are scaled by {@code 1 / (1 - rate)}; outside training it is the identity. Input and output have
 * the same (any) shape.
 *
 * <p>The mask is drawn in Java ({@link SplittableRandom}, 16 random bits an element) from one seed
 * taken from {@link ForwardRandom}: the stream the training step bound to this thread, or else the
 * engine's generator, so {@code Engine.setRandomSeed} still fixes it. DJL's {@code Dropout} calls
 * libtorch's {@code bernoulli_}, which on AMD processors (its vectorised MKL path is taken on Intel
 * only) draws one element at a time: measured here at 15 ms for the 2.6 million attention weights
 * of a 144-token fusion layer, against 5 ms for this mask and its multiply. The saved form is DJL's
 * {@code Dropout}'s (version 2, input shapes, no parameters), so models saved with either load with
 * the other.
 */
public final class Dropout extends AbstractBlock {

    private static final byte VERSION = 2;

    private final float rate;

    private Dropout(Builder builder) {
        super(VERSION);
        this.rate = builder.rate;
    }

    /** A builder, rate 0.5 unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The fraction of elements zeroed in training. */
    public float rate() {
        return rate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (!training || rate == 0) {
            return inputs;
        }
        NDArray x = inputs.singletonOrThrow();
        NDManager manager = x.getManager();
        long seed = ForwardRandom.nextSeed(manager);
        // The mask stays on x's manager (the batch's) until backward has read it.
        return new NDList(x.mul(mask(manager, x.getShape(), seed)));
    }

    /** {@code 1 / (1 - rate)} where an element is kept, 0 where it is dropped. */
    private NDArray mask(NDManager manager, Shape shape, long seed) {
        int n = Math.toIntExact(shape.size());
        float[] mask = new float[n];
        SplittableRandom random = new SplittableRandom(seed);
        int threshold = Math.round(rate * 65536); // drop where 16 random bits fall below it
        float keep = 1f / (1f - rate);
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long bits = random.nextLong();
            mask[i] = (bits & 0xffff) >= threshold ? keep : 0f;
            mask[i + 1] = ((bits >>> 16) & 0xffff) >= threshold ? keep : 0f;
            mask[i + 2] = ((bits >>> 32) & 0xffff) >= threshold ? keep : 0f;
            mask[i + 3] = (bits >>> 48) >= threshold ? keep : 0f;
        }
        for (; i < n; i++) {
            mask[i] = (random.nextInt() & 0xffff) >= threshold ? keep : 0f;
        }
        return manager.create(mask, shape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Builds a {@link Dropout}. */
    public static final class Builder {

        private float rate = 0.5f;

        private Builder() {}

        /** The fraction of elements zeroed in training, in [0, 1). */
        public Builder optRate(float rate) {
            this.rate = rate;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the rate is not in [0, 1)
         */
        public Dropout build() {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("rate (" + rate + ") must be in [0, 1)");
            }
            return new Dropout(this);
        }
    }
}
