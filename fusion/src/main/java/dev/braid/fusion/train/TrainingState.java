package dev.braid.fusion.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a run stands: everything a {@link Checkpoint} holds besides the weights and the optimiser
 * state, written as {@code state.json}.
 *
 * <p>Together with the model and the optimiser this resumes a run exactly: randomness comes from
 * {@code seed} and the counters as {@link Seeds} describes, so no generator state is saved.
 *
 * @param step optimiser steps completed; the next step is {@code step} counted from 0
 * @param epoch the epoch in progress, from 0
 * @param batchInEpoch batches of {@code epoch} already consumed: the position in its data order
 * @param seed the run's one seed
 * @param bestMetric the best value of the early-stopping metric so far ({@link
 *     EarlyStopping.Tracker#best()}); infinitely bad before the first evaluation
 * @param epochsWithoutImprovement evaluations since the metric last improved
 * @param config the run's configuration as the loop chose to record it; an empty object if none
 */
public record TrainingState(
        int step,
        int epoch,
        int batchInEpoch,
        long seed,
        double bestMetric,
        int epochsWithoutImprovement,
        JsonNode config) {

    public TrainingState {
        if (step < 0) {
            throw new IllegalArgumentException("step (" + step + ") must be >= 0");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch (" + epoch + ") must be >= 0");
        }
        if (batchInEpoch < 0) {
            throw new IllegalArgumentException("batchInEpoch (" + batchInEpoch + ") must be >= 0");
        }
        if (Double.isNaN(bestMetric)) {
            throw new IllegalArgumentException(
                    "bestMetric (NaN) must be a number; use the tracker's start value before the"
                            + " first evaluation");
        }
        if (epochsWithoutImprovement < 0) {
            throw new IllegalArgumentException(
                    "epochsWithoutImprovement (" + epochsWithoutImprovement + ") must be >= 0");
        }
        if (config == null) {
            throw new IllegalArgumentException(
                    "config (null) must be a JSON node; use an empty ObjectNode for none");
        }
    }
}
