package dev.braid.fusion.train;

import dev.braid.fusion.Modality;
import dev.braid.fusion.train.EarlyStopping.Goal;
import dev.braid.fusion.train.EarlyStopping.Metric;
import java.util.Set;

/**
 * How {@link FusionTrainer} trains.
 *
 * @param epochs passes over the training data
 * @param batchSize samples per micro-batch
 * @param accumulation micro-batches whose gradients are summed before one optimiser step; they are
 *     computed at once, one thread a core (batch norm normalises over each micro-batch, and its
 *     running statistics become the mean of the micro-batches')
 * @param learningRate the peak learning rate
 * @param warmupFraction the share of all steps spent warming the learning rate up from 0
 * @param weightDecay AdamW's decoupled weight decay
 * @param clipNorm the global gradient norm is clipped to this (0: no clipping)
 * @param modalityDropout the probability of hiding each modality of a training sample
 * @param labelSmoothing label smoothing of classification and generation heads
 * @param earlyStoppingMetric the validation metric to select and stop on, and its goal; YAML writes
 *     the name, e.g. {@code label/accuracy} or {@code loss}, and {@link Metric#of} gives the goal
 * @param patience epochs without improvement before stopping (0: never stop early)
 * @param frozenEncoders encoders whose weights are not trained ...
 * @param unfreezeEpoch ... until this epoch (-1: never)
 * @param seed the one seed everything random derives from
 * @param maxSteps stop after this many optimiser steps (0: no limit); the schedule still spans all
 *     epochs, so a run stopped here and resumed equals one that never stopped
 * @param contrastiveWeight the weight of an InfoNCE loss, added to the heads' losses, that aligns
 *     the embeddings of the model's first two modalities (0: none)
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
        Metric earlyStoppingMetric,
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
        if (earlyStoppingMetric == null) {
            throw new IllegalArgumentException(
                    "earlyStoppingMetric must be set, e.g. label/accuracy");
        }
        if (patience < 0 || maxSteps < 0) {
            throw new IllegalArgumentException(
                    "patience (" + patience + ") and maxSteps (" + maxSteps + ") must be >= 0");
        }
        if (frozenEncoders == null) {
            throw new IllegalArgumentException(
                    "frozenEncoders (null) must be a set of modalities, empty for none");
        }
        frozenEncoders = Set.copyOf(frozenEncoders);
    }

    /** 20 epochs of 32, lr 2e-3 with 10% warm-up, clip 1.0, modality dropout 0.1, seed 42. */
    public static TrainConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration, for a copy that differs in a few fields. */
    public Builder toBuilder() {
        return builder()
                .epochs(epochs)
                .batchSize(batchSize)
                .accumulation(accumulation)
                .learningRate(learningRate)
                .warmupFraction(warmupFraction)
                .weightDecay(weightDecay)
                .clipNorm(clipNorm)
                .modalityDropout(modalityDropout)
                .labelSmoothing(labelSmoothing)
                .earlyStoppingMetric(earlyStoppingMetric)
                .patience(patience)
                .frozenEncoders(frozenEncoders)
                .unfreezeEpoch(unfreezeEpoch)
                .seed(seed)
                .maxSteps(maxSteps)
                .contrastiveWeight(contrastiveWeight);
    }

    /** Samples per optimiser step: {@code batchSize} times {@code accumulation}. */
    public int samplesPerStep() {
        return batchSize * accumulation;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " (" + value + ") must be positive");
        }
    }

    /**
     * Builds a {@link TrainConfig}; every field starts at its default, and {@link #build()} checks
     * them all:
     *
     * <pre>{@code
     * TrainConfig config = TrainConfig.builder().epochs(4).batchSize(16).build();
     * TrainConfig reseeded = config.toBuilder().seed(7).build();
     * }</pre>
     */
    public static final class Builder {

        private int epochs = 20;
        private int batchSize = 32;
        private int accumulation = 1;
        private float learningRate = 2e-3f;
        private float warmupFraction = 0.1f;
        private float weightDecay = 0.01f;
        private float clipNorm = 1f;
        private float modalityDropout = 0.1f;
        private float labelSmoothing = 0f;
        private Metric earlyStoppingMetric = new Metric("label/accuracy", Goal.MAXIMIZE);
        private int patience = 0;
        private Set<Modality> frozenEncoders = Set.of();
        private int unfreezeEpoch = -1;
        private long seed = 42;
        private int maxSteps = 0;
        private float contrastiveWeight = 0f;

        private Builder() {}

        /** Passes over the training data. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Samples per micro-batch. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Micro-batches summed into one optimiser step. */
        public Builder accumulation(int accumulation) {
            this.accumulation = accumulation;
            return this;
        }

        /** The peak learning rate. */
        public Builder learningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** The share of all steps spent warming up. */
        public Builder warmupFraction(float warmupFraction) {
            this.warmupFraction = warmupFraction;
            return this;
        }

        /** AdamW's decoupled weight decay. */
        public Builder weightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** The global gradient norm is clipped to this, 0 for none. */
        public Builder clipNorm(float clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** The probability of hiding each modality of a training sample. */
        public Builder modalityDropout(float modalityDropout) {
            this.modalityDropout = modalityDropout;
            return this;
        }

        /** Label smoothing of classification heads. */
        public Builder labelSmoothing(float labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /** The validation metric to select and stop on, and its goal. */
        public Builder earlyStoppingMetric(Metric earlyStoppingMetric) {
            this.earlyStoppingMetric = earlyStoppingMetric;
            return this;
        }

        /**
         * The validation metric to select and stop on, with the goal {@link Metric#of} gives it.
         *
         * @throws IllegalArgumentException naming the metric if Braid does not evaluate it
         */
        public Builder earlyStoppingMetric(String name) {
            return earlyStoppingMetric(Metric.of(name));
        }

        /** Epochs without improvement before stopping, 0 for never. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Encoders whose weights are not trained until {@link #unfreezeEpoch}. */
        public Builder frozenEncoders(Set<Modality> frozenEncoders) {
            this.frozenEncoders = frozenEncoders;
            return this;
        }

        /** The epoch the frozen encoders start training, -1 for never. */
        public Builder unfreezeEpoch(int unfreezeEpoch) {
            this.unfreezeEpoch = unfreezeEpoch;
            return this;
        }

        /** The one seed everything random derives from. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop after this many optimiser steps, 0 for no limit. */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** The weight of the contrastive alignment loss, 0 for none. */
        public Builder contrastiveWeight(float contrastiveWeight) {
            this.contrastiveWeight = contrastiveWeight;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first field out of range and its value
         */
        public TrainConfig build() {
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
                    contrastiveWeight);
        }
    }
}
