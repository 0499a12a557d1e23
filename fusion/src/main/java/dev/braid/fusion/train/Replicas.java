package dev.braid.fusion.train;

import java.util.List;

/**
 * The copies of one model that train together, data-parallel, each on its own shard of the data
 * (see {@link FusionTrainer#FusionTrainer(TrainConfig, int, Replicas)}). Every replica calls {@link
 * #allGather} at the same points of every step, so an implementation is a rendezvous: Spark's
 * barrier tasks, MPI, or threads in a test.
 */
public interface Replicas {

    /** This replica's number, in {@code [0, count())}. */
    int rank();

    /** How many replicas train together. */
    int count();

    /**
     * Sends {@code message} to every replica and returns every replica's message, in rank order
     * (this one's at {@link #rank()}). Blocks until all have sent theirs.
     */
    List<byte[]> allGather(byte[] message);

    /** One process training alone: nothing is exchanged. */
    static Replicas single() {
        return new Replicas() {
            @Override
            public int rank() {
                return 0;
            }

            @Override
            public int count() {
                return 1;
            }

            @Override
            public List<byte[]> allGather(byte[] message) {
                return List.of(message);
            }
        };
    }
}
