package dev.braid.fusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.braid.text.pretrain.MaskedLanguageModel;
import dev.braid.text.pretrain.MlmMasking;
import dev.braid.text.tokenize.EncodedBatch;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Pre-trains a {@link MaskedLanguageModel} on unlabeled text, each step taken through the same
 * {@link OptimiserStep} as fusion training: Braid's {@link AdamW}, the global gradient norm that
 * stops a run on a non-finite gradient, gradients zeroed in place; the backward pass is recorded
 * per thread ({@link GradientRecording}), as a fusion micro-batch's is.
 *
 * <p>Each step takes the next {@code batchSize} texts of a shuffled pass over the corpus, masks
 * them with {@link MlmMasking} and takes one optimiser step. Every array of a step lives in a
 * manager closed when the step ends. The same seed gives the same losses.
 */
public final class MlmPretrainer {

    /**
     * How to pre-train.
     *
     * @param steps optimiser steps
     * @param batchSize texts per step
     * @param learningRate the AdamW learning rate
     * @param weightDecay AdamW's decoupled weight decay
     * @param maskProbability the share of tokens to predict
     * @param seed seeds initialisation, shuffling, masking and dropout
     */
    public record Config(
            int steps,
            int batchSize,
            float learningRate,
            float weightDecay,
            double maskProbability,
            long seed) {

        public Config {
            if (steps < 1) {
                throw new IllegalArgumentException("steps (" + steps + ") must be positive");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "batchSize (" + batchSize + ") must be positive");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "learningRate (" + learningRate + ") must be positive");
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException(
                        "weightDecay (" + weightDecay + ") must be >= 0");
            }
        }

        /** 1000 steps of 32 texts, learning rate 1e-3, weight decay 0.01, 15% masked, seed 42. */
        public static Config defaults() {
            return new Config(1000, 32, 1e-3f, 0.01f, 0.15, 42);
        }
    }

    /** Told after every step; for progress bars and logs. */
    public interface Listener {
        void onStep(int step, int steps, float loss);
    }

    private final Config config;

    public MlmPretrainer(Config config) {
        this.config = config;
    }

    /**
     * Trains {@code model}, initialising its parameters in {@code manager} first.
     *
     * @return the loss of every step
     * @throws IllegalArgumentException if the corpus is empty
     * @throws NonFiniteGradientException if a step's gradient is not finite
     */
    public float[] train(
            MaskedLanguageModel model,
            Tokenizer tokenizer,
            List<String> corpus,
            NDManager manager,
            Listener listener) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("the corpus is empty: nothing to pre-train on");
        }
        Engine.getInstance().setRandomSeed(Math.toIntExact(config.seed() & 0x7fffffff));
        Random random = new Random(config.seed());
        int maxLength = model.encoder().config().maxLength();
        Shape shape = new Shape(config.batchSize(), maxLength);
        model.initialize(manager, DataType.FLOAT32, shape, shape);
        List<Parameter> parameters = new ArrayList<>();
        model.getParameters().forEach(p -> parameters.add(p.getValue()));
        AdamW optimizer =
                new AdamW(
                        AdamWConfig.defaults().withWeightDecay(config.weightDecay()),
                        manager,
                        parameters);
        OptimiserStep update = new OptimiserStep(optimizer, 0); // no clipping
        MlmMasking masking =
                new MlmMasking(
                        config.maskProbability(),
                        tokenizer.vocabularySize(),
                        tokenizer.specialTokens());
        ParameterStore store = new ParameterStore(manager, false);

        List<Integer> order = new ArrayList<>();
        int next = 0;
        float[] losses = new float[config.steps()];
        for (int step = 0; step < config.steps(); step++) {
            List<String> texts = new ArrayList<>();
            while (texts.size() < config.batchSize()) {
                if (next == order.size()) {
                    order.clear();
                    for (int i = 0; i < corpus.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, random);
                    next = 0;
                }
                texts.add(corpus.get(order.get(next++)));
            }
            EncodedBatch batch = tokenizer.encodeBatch(texts, maxLength);
            MlmMasking.Masked masked = masking.apply(batch, random);
            Shape batchShape = new Shape(batch.size(), batch.length());
            try (NDManager stepManager = manager.newSubManager()) {
                NDList inputs =
                        new NDList(
                                stepManager.create(masked.inputIds(), batchShape),
                                stepManager.create(batch.mask(), batchShape));
                NDArray labels = stepManager.create(masked.labels(), batchShape);
                try (GradientRecording recording = GradientRecording.start()) {
                    NDArray logits = model.forward(store, inputs, true).singletonOrThrow();
                    NDArray loss = MaskedLanguageModel.loss(logits, labels);
                    recording.backward(loss);
                    losses[step] = loss.getFloat();
                }
                update.take(step, losses[step], config.learningRate(), parameters, parameters);
            }
            if (listener != null) {
                listener.onStep(step, config.steps(), losses[step]);
            }
        }
        return losses;
    }
}
