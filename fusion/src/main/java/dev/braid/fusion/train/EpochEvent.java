package dev.braid.fusion.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An epoch has ended and been evaluated.
 *
 * @param epoch the epoch, from 0
 * @param step optimiser steps completed at its end
 * @param metrics the validation metrics by flat name (see {@code ClassificationMetrics.toMap()})
 * @param improved whether the early-stopping metric reached a new best
 */
public record EpochEvent(int epoch, int step, Map<String, Double> metrics, boolean improved) {

    public EpochEvent {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics)); // keeps the order
    }
}
