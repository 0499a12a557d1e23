package dev.braid.fusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.tensor.Scalars;
import dev.braid.text.decoder.DecoderBatch;
import dev.braid.text.decoder.DecoderLoss;
import dev.braid.text.decoder.TeacherForcing;
import dev.braid.text.tokenize.SpecialTokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Trains a {@link ReplyHead} over a {@link FusionModel}'s encoders, teacher-forced: each reply is
 * fed as {@code [CLS] y} under the decoder's causal mask and scored against {@code y [SEP]} by
 * label-smoothed cross-entropy over its real tokens (padding ignored). With a positive {@link
 * Config#classificationWeight} the model's classification heads train in the same step on the same
 * encoder pass (multi-task); with 0 only the encoders and the reply head learn. Each step goes
 * through the same {@link OptimiserStep} as fusion training (Braid's {@link AdamW}, a non-finite
 * gradient stops the run), every array of a step lives in a manager closed when the step ends, and
 * the same seed gives the same losses.
 */
public final class ReplyTrainer {

    /**
     * How to train.
     *
     * @param steps optimiser steps
     * @param batchSize examples per step
     * @param learningRate the AdamW learning rate
     * @param labelSmoothing of the reply's cross-entropy, in [0, 1)
     * @param classificationWeight the weight of the classification heads' loss; 0 trains the reply
     *     alone
     * @param maxReplyTokens the longest taught reply, end token included
     * @param seed seeds the order of the examples and dropout
     */
    public record Config(
            int steps,
            int batchSize,
            float learningRate,
            float labelSmoothing,
            float classificationWeight,
            int maxReplyTokens,
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
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException(
                        "labelSmoothing (" + labelSmoothing + ") must be in [0, 1)");
            }
            if (!(classificationWeight >= 0)) {
                throw new IllegalArgumentException(
                        "classificationWeight (" + classificationWeight + ") must be >= 0");
            }
            if (maxReplyTokens < 2) {
                throw new IllegalArgumentException(
                        "maxReplyTokens (" + maxReplyTokens + ") must be at least 2");
            }
        }
    }

    /**
     * One ticket and its reference reply.
     *
     * @param sample the manifest row
     * @param features its extracted inputs
     * @param reply the reply's token ids, without start or end token
     */
    public record Example(Sample sample, SampleFeatures features, int[] reply) {}

    /** Told after every step. */
    public interface Listener {
        void onStep(int step, int steps, float replyLoss, float totalLoss);
    }

    private final Config config;

    public ReplyTrainer(Config config) {
        this.config = config;
    }

    /**
     * Trains {@code model}'s encoders (and heads, when weighted) and {@code head}, both already
     * initialised in {@code manager}.
     *
     * @return the reply loss of every step
     * @throws IllegalArgumentException if there are no examples
     * @throws NonFiniteGradientException if a step's gradient is not finite
     */
    public float[] train(
            FusionModel model,
            ReplyHead head,
            List<Example> examples,
            Collator collator,
            SpecialTokens special,
            NDManager manager,
            Listener listener) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples: nothing to train the reply head on");
        }
        Engine.getInstance().setRandomSeed(Math.toIntExact(config.seed() & 0x7fffffff));
        Random random = new Random(config.seed());
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> parameters = new ArrayList<>();
        model.getParameters().forEach(p -> addOnce(p.getValue(), seen, parameters));
        head.getParameters().forEach(p -> addOnce(p.getValue(), seen, parameters));
        AdamW optimizer = new AdamW(AdamWConfig.defaults(), manager, parameters);
        OptimiserStep update = new OptimiserStep(optimizer, 1f);
        ParameterStore store = new ParameterStore(manager, false);

        List<Integer> order = new ArrayList<>();
        int next = 0;
        float[] losses = new float[config.steps()];
        for (int step = 0; step < config.steps(); step++) {
            List<Example> chosen = new ArrayList<>();
            while (chosen.size() < Math.min(config.batchSize(), examples.size())) {
                if (next == order.size()) {
                    order.clear();
                    for (int i = 0; i < examples.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, random);
                    next = 0;
                }
                chosen.add(examples.get(order.get(next++)));
            }
            Batch batch =
                    collator.collate(
                            chosen.stream().map(Example::sample).toList(),
                            chosen.stream().map(Example::features).toList());
            float total;
            try (NDManager stepManager = manager.newSubManager()) {
                try (GradientRecording recording = GradientRecording.start()) {
                    Map<Modality, NDList> inputs = inputs(model, batch, stepManager);
                    FusionModel.Encoded encoded = model.predictWithTokens(store, inputs, true);
                    NDList memory = head.memory(store, encoded, inputs, true);
                    DecoderBatch taught =
                            TeacherForcing.batch(
                                    stepManager,
                                    chosen.stream().map(Example::reply).toList(),
                                    config.maxReplyTokens(),
                                    special);
                    NDArray logits =
                            head.forward(
                                            store,
                                            ReplyHead.decoderInput(
                                                    taught.inputs(), taught.mask(), memory),
                                            true)
                                    .singletonOrThrow(); // (B, T, V)
                    NDArray replyLoss =
                            DecoderLoss.crossEntropy(
                                    logits,
                                    taught.targets(),
                                    taught.mask(),
                                    config.labelSmoothing());
                    NDArray loss = replyLoss;
                    if (config.classificationWeight() > 0) {
                        loss =
                                loss.add(
                                        Scalars.mul(
                                                HeadLosses.total(
                                                        encoded.logits(),
                                                        batch.targets(),
                                                        0f,
                                                        stepManager),
                                                config.classificationWeight()));
                    }
                    recording.backward(loss);
                    losses[step] = replyLoss.getFloat();
                    total = loss.getFloat();
                }
                update.take(
                        step,
                        total,
                        config.learningRate(),
                        parameters,
                        parameters,
                        stepManager,
                        List::forEach);
            }
            if (listener != null) {
                listener.onStep(step, config.steps(), losses[step], total);
            }
        }
        return losses;
    }

    /** The batch's inputs of the modalities {@code model} reads. */
    public static Map<Modality, NDList> inputs(FusionModel model, Batch batch, NDManager manager) {
        Map<Modality, NDList> out = new TreeMap<>();
        for (Modality m : model.config().modalities()) {
            out.put(m, batch.input(m, manager));
        }
        return out;
    }

    private static void addOnce(Parameter p, Set<Parameter> seen, List<Parameter> out) {
        if (p.requiresGradient() && seen.add(p)) {
            out.add(p);
        }
    }
}
