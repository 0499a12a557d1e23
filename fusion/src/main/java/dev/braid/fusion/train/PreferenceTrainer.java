package dev.braid.fusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.tensor.Scalars;
import dev.braid.text.decoder.DecoderBatch;
import dev.braid.text.decoder.TeacherForcing;
import dev.braid.text.tokenize.SpecialTokens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tunes a {@link ReplyHead} on pairs of replies to the same ticket, one preferred over the other,
 * by {@link DirectPreference} against a frozen reference head (a copy of the policy as it was).
 *
 * <p>Only the policy head learns, its decoder and its memory projections; the model's encoders are
 * frozen and run without gradients, and so does the reference, whose log-probabilities are computed
 * once per pair before the first step. Dropout is off in every forward pass (as in TRL's DPO
 * trainer), so before the first update the policy equals the reference and the loss is exactly
 * {@code log 2}. Each step goes through Braid's {@link OptimiserStep} (AdamW, gradient clipping at
 * norm 1, a non-finite gradient stops the run), every array of a step lives in a manager closed
 * when the step ends, and the same seed gives the same losses.
 */
public final class PreferenceTrainer {

    /**
     * How to tune.
     *
     * @param steps optimiser steps
     * @param batchSize pairs per step
     * @param learningRate AdamW's
     * @param beta the DPO scale: how far from the reference the policy may move (larger: less)
     * @param nllWeight the weight of the preferred reply's negative log-likelihood per token added
     *     to the DPO loss (RPO, Pang et al. 2024); 0 for DPO alone
     * @param maxReplyTokens the longest reply scored, end token included
     * @param seed seeds the order of the pairs
     */
    public record Config(
            int steps,
            int batchSize,
            float learningRate,
            float beta,
            float nllWeight,
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
            if (!(learningRate > 0 && Float.isFinite(learningRate))) {
                throw new IllegalArgumentException(
                        "learningRate (" + learningRate + ") must be positive");
            }
            DirectPreference.checkBeta(beta);
            if (!(nllWeight >= 0 && Float.isFinite(nllWeight))) {
                throw new IllegalArgumentException(
                        "nllWeight (" + nllWeight + ") must be 0 or positive");
            }
            if (maxReplyTokens < 2) {
                throw new IllegalArgumentException(
                        "maxReplyTokens (" + maxReplyTokens + ") must be at least 2");
            }
        }
    }

    /**
     * One ticket and two replies to it.
     *
     * @param sample the ticket as a collatable row
     * @param features its extracted inputs
     * @param chosen the preferred reply's token ids, without start or end token
     * @param rejected the other reply's
     */
    public record Pair(Sample sample, SampleFeatures features, int[] chosen, int[] rejected) {}

    /**
     * What one step saw, before its update.
     *
     * @param loss the mean DPO loss of the step's pairs
     * @param nll the preferred replies' mean negative log-likelihood per token
     * @param accuracy the share of pairs whose margin is positive
     * @param margin the mean margin {@code z} ({@link DirectPreference#margins})
     */
    public record Step(int step, int steps, float loss, float nll, float accuracy, float margin) {}

    /** Told after every step. */
    public interface Listener {
        void onStep(Step step);
    }

    private final Config config;

    public PreferenceTrainer(Config config) {
        this.config = config;
    }

    /**
     * Tunes {@code policy}, initialised in {@code manager} and equal to {@code reference} at the
     * start, over {@code model}'s frozen encoders.
     *
     * @return every step's DPO loss
     * @throws IllegalArgumentException if there are no pairs
     * @throws dev.braid.tensor.NonFiniteGradientException if a step's gradient is not finite
     */
    public float[] train(
            FusionModel model,
            ReplyHead policy,
            ReplyHead reference,
            List<Pair> pairs,
            Collator collator,
            SpecialTokens special,
            NDManager manager,
            Listener listener) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no preference pairs: nothing to tune on");
        }
        Engine.getInstance().setRandomSeed(Math.toIntExact(config.seed() & 0x7fffffff));
        float[][] referenceScores =
                referenceLogProbabilities(model, reference, pairs, collator, special, manager);
        List<Parameter> parameters = new ArrayList<>();
        policy.getParameters()
                .forEach(
                        p -> {
                            if (p.getValue().requiresGradient()) {
                                parameters.add(p.getValue());
                            }
                        });
        AdamW optimizer = new AdamW(AdamWConfig.defaults(), manager, parameters);
        OptimiserStep update = new OptimiserStep(optimizer, 1f);
        ParameterStore store = new ParameterStore(manager, false);
        Random random = new Random(config.seed());
        List<Integer> order = new ArrayList<>();
        int next = 0;
        float[] losses = new float[config.steps()];
        for (int step = 0; step < config.steps(); step++) {
            List<Integer> chosen = new ArrayList<>();
            while (chosen.size() < Math.min(config.batchSize(), pairs.size())) {
                if (next == order.size()) {
                    order.clear();
                    for (int i = 0; i < pairs.size(); i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, random);
                    next = 0;
                }
                chosen.add(order.get(next++));
            }
            List<Pair> some = chosen.stream().map(pairs::get).toList();
            float[] refChosen = new float[some.size()];
            float[] refRejected = new float[some.size()];
            for (int i = 0; i < some.size(); i++) {
                refChosen[i] = referenceScores[0][chosen.get(i)];
                refRejected[i] = referenceScores[1][chosen.get(i)];
            }
            Step seen;
            try (NDManager stepManager = manager.newSubManager()) {
                Read read = read(model, collate(collator, some), store, stepManager);
                DecoderBatch w = taught(some, true, special, stepManager);
                DecoderBatch l = taught(some, false, special, stepManager);
                float total;
                try (GradientRecording recording = GradientRecording.start()) {
                    NDList memory = policy.memory(store, read.encoded(), read.inputs(), false);
                    NDArray policyChosen =
                            ReplyLikelihood.sequences(policy, store, memory, w, false);
                    NDArray policyRejected =
                            ReplyLikelihood.sequences(policy, store, memory, l, false);
                    NDArray referenceChosen = stepManager.create(refChosen);
                    NDArray referenceRejected = stepManager.create(refRejected);
                    NDArray dpo =
                            DirectPreference.loss(
                                    policyChosen,
                                    policyRejected,
                                    referenceChosen,
                                    referenceRejected,
                                    config.beta());
                    NDArray lengths =
                            w.mask().toType(DataType.FLOAT32, false).sum(new int[] {1}); // (P)
                    NDArray nll = policyChosen.neg().div(lengths).mean(); // per token
                    NDArray loss =
                            config.nllWeight() > 0
                                    ? dpo.add(Scalars.mul(nll, config.nllWeight()))
                                    : dpo;
                    recording.backward(loss);
                    total = loss.getFloat();
                    float[] margins =
                            DirectPreference.margins(
                                            policyChosen.stopGradient(),
                                            policyRejected.stopGradient(),
                                            referenceChosen,
                                            referenceRejected,
                                            config.beta())
                                    .toFloatArray();
                    int right = 0;
                    float sum = 0;
                    for (float m : margins) {
                        right += m > 0 ? 1 : 0;
                        sum += m;
                    }
                    seen =
                            new Step(
                                    step,
                                    config.steps(),
                                    dpo.getFloat(),
                                    nll.getFloat(),
                                    (float) right / margins.length,
                                    sum / margins.length);
                }
                losses[step] = seen.loss();
                update.take(step, total, config.learningRate(), parameters, parameters);
            }
            if (listener != null) {
                listener.onStep(seen);
            }
        }
        return losses;
    }

    /**
     * The reference's {@code log p(chosen)} and {@code log p(rejected)} of every pair, in pair
     * order, computed without gradients in batches of {@link Config#batchSize}.
     *
     * @return {@code [0]} the chosen replies', {@code [1]} the rejected ones'
     */
    public float[][] referenceLogProbabilities(
            FusionModel model,
            ReplyHead reference,
            List<Pair> pairs,
            Collator collator,
            SpecialTokens special,
            NDManager manager) {
        float[][] out = new float[2][pairs.size()];
        ParameterStore store = new ParameterStore(manager, false);
        for (int from = 0; from < pairs.size(); from += config.batchSize()) {
            List<Pair> some =
                    pairs.subList(from, Math.min(from + config.batchSize(), pairs.size()));
            try (NDManager chunk = manager.newSubManager()) {
                boolean was = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                try {
                    Read read = read(model, collate(collator, some), store, chunk);
                    NDList memory = reference.memory(store, read.encoded(), read.inputs(), false);
                    float[] w =
                            ReplyLikelihood.sequences(
                                            reference,
                                            store,
                                            memory,
                                            taught(some, true, special, chunk),
                                            false)
                                    .toFloatArray();
                    float[] l =
                            ReplyLikelihood.sequences(
                                            reference,
                                            store,
                                            memory,
                                            taught(some, false, special, chunk),
                                            false)
                                    .toFloatArray();
                    System.arraycopy(w, 0, out[0], from, w.length);
                    System.arraycopy(l, 0, out[1], from, l.length);
                } finally {
                    JniUtils.setGradMode(was);
                }
            }
        }
        return out;
    }

    /** The frozen encoders' tokens, computed without recording gradients. */
    /** A batch as the frozen model read it, and its inputs (the text's ids, to copy from). */
    private record Read(
            FusionModel.Encoded encoded, Map<dev.braid.fusion.Modality, NDList> inputs) {}

    private static Read read(
            FusionModel model, Batch batch, ParameterStore store, NDManager manager) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            Map<dev.braid.fusion.Modality, NDList> inputs =
                    ReplyDecoding.inputs(model, batch, manager);
            return new Read(model.predictWithTokens(store, inputs, false), inputs);
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    private DecoderBatch taught(
            List<Pair> some, boolean preferred, SpecialTokens special, NDManager manager) {
        return TeacherForcing.batch(
                manager,
                some.stream().map(p -> preferred ? p.chosen() : p.rejected()).toList(),
                config.maxReplyTokens(),
                special);
    }

    private static Batch collate(Collator collator, List<Pair> some) {
        return collator.collate(
                some.stream().map(Pair::sample).toList(),
                some.stream().map(Pair::features).toList());
    }
}
