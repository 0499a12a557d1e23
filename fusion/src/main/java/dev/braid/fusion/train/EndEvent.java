package dev.braid.fusion.train;

/**
 * Training has ended.
 *
 * @param step optimiser steps completed
 * @param epoch the last epoch, from 0
 * @param outcome why it ended
 */
public record EndEvent(int step, int epoch, Outcome outcome) {

    /** Why training ended. */
    public enum Outcome {
        /** All planned steps or epochs ran. */
        COMPLETED,
        /** {@link EarlyStopping} ran out of patience. */
        STOPPED_EARLY
    }
}
