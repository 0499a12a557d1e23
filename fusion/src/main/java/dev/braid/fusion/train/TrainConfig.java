package dev.braid.fusion.train;

import dev.braid.fusion.Modality;
import java.util.Set;

/**
 * How {@link FusionTrainer} trains.
 *
 * @param epochs passes over the training data
 * @param batchSize samples per micro-batch
 * @param accumulation micro-batches whose gradients are summed before one optimiser step
 * @param learningRate the peak learning rate
 * @param warmupFraction the share of all steps spent warming the learning rate up from 0
 * @param weightDecay AdamW's decoupled weight decay
 * @param clipNorm the global gradient norm is clipped to this (0: no clipping)
 * @param modalityDropout the probability of hiding each modality of a training sample
 * @param labelSmoothing label smoothing of classification heads
 * @param earlyStoppingMetric the validation metric to select and stop on, e.g. {@code
 *     label/accuracy} or {@code loss}; metrics named loss, mae or rmse are minimised
 * @param patience epochs without improvement before stopping (0: never stop early)
 * @param frozenEncoders encoders whose weights are not trained ...
 * @param unfreezeEpoch ... until this epoch (-1: never)
 * @param seed the one seed everything random derives from
 * @param maxSteps stop after this many optimiser steps (0: no limit); the schedule still spans all
 *     epochs, so a run stopped here and resumed equals one that never stopped
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        int accumulation,
        float learningRate,
        float warmupFraction,
        float weightDecay,
        float clipNorm,
        float modalityDropout,
        float labelSmoothing,
        String earlyStoppingMetric,
        int patience,
        Set<Modality> frozenEncoders,
        int unfreezeEpoch,
        long seed,
        int maxSteps,
        float contrastiveWeight) {

    public TrainConfig {
        if (!(contrastiveWeight >= 0)) {
            throw new IllegalArgumentException(
                    "contrastiveWeight (" + contrastiveWeight + ") must be >= 0");
        }
        positive("epochs", epochs);
        positive("batchSize", batchSize);
        positive("accumulation", accumulation);
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException(
                    "learningRate (" + learningRate + ") must be positive");
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException(
                    "warmupFraction (" + warmupFraction + ") must be in [0, 1)");
        }
        if (!(weightDecay >= 0) || !(clipNorm >= 0)) {
            throw new IllegalArgumentException(
                    "weightDecay ("
                            + weightDecay
                            + ") and clipNorm ("
                            + clipNorm
                            + ") must be >= 0");
        }
        if (!(modalityDropout >= 0 && modalityDropout < 1)) {
            throw new IllegalArgumentException(
                    "modalityDropout (" + modalityDropout + ") must be in [0, 1)");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException(
                    "labelSmoothing (" + labelSmoothing + ") must be in [0, 1)");
        }
        if (earlyStoppingMetric == null || earlyStoppingMetric.isBlank()) {
            throw new IllegalArgumentException(
                    "earlyStoppingMetric must be set, e.g. label/accuracy");
        }
        if (patience < 0 || maxSteps < 0) {
            throw new IllegalArgumentException(
                    "patience (" + patience + ") and maxSteps (" + maxSteps + ") must be >= 0");
        }
        frozenEncoders = Set.copyOf(frozenEncoders);
    }

    /** 20 epochs of 32, lr 2e-3 with 10% warm-up, clip 1.0, modality dropout 0.1, seed 42. */
    public static TrainConfig defaults() {
        return new TrainConfig(
                20,
                32,
                1,
                2e-3f,
                0.1f,
                0.01f,
                1f,
                0.1f,
                0f,
                "label/accuracy",
                0,
                Set.of(),
                -1,
                42,
                0,
                0f);
    }

    /** Samples per optimiser step: {@code batchSize} times {@code accumulation}. */
    public int samplesPerStep() {
        return batchSize * accumulation;
    }

    /** Whether the early-stopping metric is one to minimise. */
    public boolean minimise() {
        String last = earlyStoppingMetric.substring(earlyStoppingMetric.lastIndexOf('/') + 1);
        return last.equals("loss") || last.equals("mae") || last.equals("rmse");
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " (" + value + ") must be positive");
        }
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(
                e,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withMaxSteps(int s) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                s,
                contrastiveWeight);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                s,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withModalityDropout(float p) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                p,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withLearningRate(float lr) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                lr,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(
                epochs,
                b,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withAccumulation(int a) {
        return new TrainConfig(
                epochs,
                batchSize,
                a,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withFrozen(Set<Modality> frozen, int unfreezeAt) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozen,
                unfreezeAt,
                seed,
                maxSteps,
                contrastiveWeight);
    }

    public TrainConfig withContrastiveWeight(float w) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                earlyStoppingMetric,
                patience,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                w);
    }

    public TrainConfig withEarlyStopping(String metric, int p) {
        return new TrainConfig(
                epochs,
                batchSize,
                accumulation,
                learningRate,
                warmupFraction,
                weightDecay,
                clipNorm,
                modalityDropout,
                labelSmoothing,
                metric,
                p,
                frozenEncoders,
                unfreezeEpoch,
                seed,
                maxSteps,
                contrastiveWeight);
    }
}
