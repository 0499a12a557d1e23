package dev.braid.apps.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a run was made and how it ended: the report's first section.
 *
 * @param finishedAt when training finished
 * @param braidVersion the Braid version that trained the model
 * @param seed the run's single seed
 * @param datasets the size of each dataset split, in the order shown
 * @param modelConfig the model configuration as pre-formatted JSON, shown verbatim
 * @param trainingTime how long training took
 * @param finalMetrics the kept model's test metrics, in the order shown
 * @param bestMetrics the validation metrics of the best epoch (the one kept), in the order shown
 */
public record RunSummary(
        Instant finishedAt,
        String braidVersion,
        long seed,
        List<DatasetSize> datasets,
        String modelConfig,
        Duration trainingTime,
        Map<String, Double> finalMetrics,
        Map<String, Double> bestMetrics) {

    /**
     * @throws IllegalArgumentException if the training time is negative
     * @throws NullPointerException if any component is null
     */
    public RunSummary {
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(braidVersion, "braidVersion");
        Objects.requireNonNull(modelConfig, "modelConfig");
        Objects.requireNonNull(trainingTime, "trainingTime");
        if (trainingTime.isNegative()) {
            throw new IllegalArgumentException(
                    "trainingTime (" + trainingTime + ") must not be negative");
        }
        datasets = List.copyOf(datasets);
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
        bestMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(bestMetrics));
    }
}
