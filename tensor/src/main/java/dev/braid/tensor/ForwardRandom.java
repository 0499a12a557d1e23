package dev.braid.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The random numbers a forward pass draws (dropout masks), from a stream bound to the thread that
 * runs it.
 *
 * <p>A training step may compute its micro-batches on several threads at once. Drawn from the
 * engine's one global generator, their dropout masks would depend on which thread drew first; drawn
 * from a stream each micro-batch binds from its own seed, they are the same whatever the threads
 * do. Outside a binding (a block used on its own), seeds come from the engine's generator, so
 * {@code Engine.setRandomSeed} fixes them.
 */
public final class ForwardRandom {

    private static final ThreadLocal<SplittableRandom> BOUND = new ThreadLocal<>();

    private ForwardRandom() {}

    /**
     * Binds a stream seeded by {@code seed} to this thread until the returned binding is closed.
     *
     * @throws IllegalStateException if this thread has a binding already
     */
    public static Binding bind(long seed) {
        if (BOUND.get() != null) {
            throw new IllegalStateException("this thread already has a forward random stream");
        }
        BOUND.set(new SplittableRandom(seed));
        return new Binding();
    }

    /**
     * The next seed for one random draw of a forward pass: from this thread's stream if one is
     * bound, otherwise from the engine's generator (one host read-back).
     */
    public static long nextSeed(NDManager manager) {
        SplittableRandom bound = BOUND.get();
        if (bound != null) {
            return bound.nextLong();
        }
        try (NDArray drawn =
                manager.randomInteger(0, Long.MAX_VALUE, new Shape(), DataType.INT64)) {
            return drawn.getLong();
        }
    }

    /** A stream bound to a thread; closing it unbinds it. */
    public static final class Binding implements AutoCloseable {

        private Binding() {}

        @Override
        public void close() {
            BOUND.remove();
        }
    }
}
