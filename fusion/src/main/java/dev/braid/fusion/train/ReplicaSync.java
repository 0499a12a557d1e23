package dev.braid.fusion.train;

/**
 * How data-parallel replicas keep one model ({@link FusionTrainer#FusionTrainer(TrainConfig, int,
 * Replicas, ReplicaSync)}).
 */
public sealed interface ReplicaSync {

    /**
     * Gradients summed across replicas every step: every replica takes the step one process takes
     * with all replicas' micro-batches. One exchange a step, of every gradient.
     */
    record EveryStep() implements ReplicaSync {}

    /**
     * Each replica steps on its own micro-batches' gradients, as if alone, and every {@code steps}
     * steps (and at the end of each epoch, and when {@code maxSteps} stops the run) the replicas
     * average their weights and batch-norm statistics; each keeps its own AdamW moments. One
     * exchange every {@code steps} steps, of every weight: cheaper, but no longer one process's
     * training.
     *
     * @param steps optimiser steps between averages, at least 1
     */
    record ParametersEvery(int steps) implements ReplicaSync {
        public ParametersEvery {
            if (steps < 1) {
                throw new IllegalArgumentException("steps (" + steps + ") must be at least 1");
            }
        }
    }
}
