package dev.braid.fusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.Losses;
import dev.braid.fusion.model.ModalityDropout;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.tensor.ForwardRandom;
import dev.braid.tensor.NonFiniteGradientException;
import dev.braid.tensor.Scalars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Braid's one training loop: trains any {@link FusionModel} (any modalities, any fusion, any heads)
 * on batches from a {@link BatchLoader}, read top to bottom as fit → epoch → step.
 *
 * <p>A step: {@code accumulation} micro-batches, computed at once on up to one thread a core
 * ({@link MicroBatchThreads}: the thread count changes the speed, never the result); per
 * micro-batch, a fresh {@code NDManager} holds every array of the batch and is closed when the
 * micro-batch ends; forward, the heads' summed loss (a generation head's teacher-forced over its
 * texts' tokens, beside the classification heads' or alone), backward. Then: the global gradient
 * norm (a non-finite one ends the run with a {@link NonFiniteGradientException} naming the step and
 * the parameter), clipping, the warm-up/cosine learning rate, AdamW, zeroed gradients. After each
 * epoch: evaluation on the validation loader, early stopping, the best weights kept.
 *
 * <p>Everything random derives from the seed and a counter — modality dropout and each
 * micro-batch's dropout stream ({@code dev.braid.tensor.ForwardRandom}) from (seed, step), data
 * order and augmentation from (seed, epoch) — so a checkpoint needs only the counters, and a run
 * stopped and resumed from its checkpoint equals one that never stopped. Checkpoints are written at
 * the end of every epoch and when {@code maxSteps} stops the run.
 *
 * <p>A run is bit-for-bit repeatable: the same seed, data and configuration give the same weights.
 * (Braid's first version saw non-finite gradients at random steps and recomputed them; the cause
 * was DJL freeing the scalar of {@code x.mul(2f)} before backward, see {@code
 * dev.braid.tensor.Scalars}.)
 */
public final class FusionTrainer {

    static final String BEST_PARAMETERS = "best.params";
    static final String CHECKPOINT = "checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(FusionTrainer.class);

    /**
     * What a run produced.
     *
     * @param best the validation evaluation of the best epoch (the weights the model ends with)
     * @param bestEpoch that epoch
     * @param epochs the epochs run in all, across resumes
     * @param steps the optimiser steps taken in all
     * @param stoppedEarly whether early stopping ended the run
     * @param lastLoss the training loss of the last step
     * @param provenance how the model was trained, also written to {@code RUN/provenance.json}
     */
    public record Result(
            Evaluation best,
            int bestEpoch,
            int epochs,
            int steps,
            boolean stoppedEarly,
            float lastLoss,
            Provenance provenance) {}

    private final TrainConfig config;
    private final ModalityDropout modalityDropout;
    private final int threads;
    private final Replicas replicas;
    private final ReplicaSync sync;
    private final TrainingLoss trainingLoss;

    /**
     * A trainer that computes a step's micro-batches on up to as many threads as there are cores.
     */
    public FusionTrainer(TrainConfig config) {
        this(config, Runtime.getRuntime().availableProcessors());
    }

    /**
     * A trainer that computes a step's micro-batches on up to {@code threads} threads at once (see
     * {@link TrainConfig#accumulation()}); the thread count changes the speed, never the result.
     */
    public FusionTrainer(TrainConfig config, int threads) {
        this(config, threads, Replicas.single());
    }

    /**
     * One of {@code replicas.count()} trainers that train one model data-parallel, each {@code fit}
     * given its own shard as {@code train} (every shard with as many batches an epoch) and the same
     * validation data. A step is {@code accumulation} micro-batches on every replica; the replicas
     * exchange their gradients, summed in replica order, and their batch-norm statistics, averaged
     * ({@code ReplicaExchange}). So every replica takes the same step, the step one trainer takes
     * with {@code count × accumulation} micro-batches in replica order (bit for bit with an
     * accumulation of 1), and all end with the same weights. The modalities of the samples are
     * exchanged once an epoch, the gradients every step. Each replica needs its own {@code runDir}
     * and resumes from its checkpoint there: from the latest step every replica has a checkpoint of
     * (its newest or the one before it), agreed at the start.
     */
    public FusionTrainer(TrainConfig config, int threads, Replicas replicas) {
        this(config, threads, replicas, new ReplicaSync.EveryStep());
    }

    /**
     * One of {@code replicas.count()} data-parallel trainers, kept together as {@code sync} says:
     * gradients every step (the constructor above), or weights averaged every k steps.
     */
    public FusionTrainer(TrainConfig config, int threads, Replicas replicas, ReplicaSync sync) {
        this(config, threads, replicas, sync, TrainingLoss.HEADS);
    }

    private FusionTrainer(
            TrainConfig config,
            int threads,
            Replicas replicas,
            ReplicaSync sync,
            TrainingLoss loss) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be positive");
        }
        this.config = config;
        this.modalityDropout = new ModalityDropout(config.modalityDropout());
        this.threads = Math.min(threads, config.accumulation());
        this.replicas = replicas;
        this.sync = sync;
        this.trainingLoss = loss;
    }

    /** The same trainer minimising {@code loss} (e.g. distillation from a teacher). */
    public FusionTrainer withLoss(TrainingLoss loss) {
        return new FusionTrainer(config, threads, replicas, sync, loss);
    }

    /**
     * Trains {@code model}, whose parameters must already be initialised in {@code manager}. If
     * {@code runDir} holds a checkpoint, the run resumes from it.
     *
     * @param runDir where the checkpoint, {@code log.jsonl} and the best weights go
     */
    public Result fit(
            FusionModel model,
            NDManager manager,
            BatchLoader train,
            BatchLoader validation,
            TaskSchema schema,
            Path runDir,
            List<TrainingListener> listeners)
            throws IOException {
        Files.createDirectories(runDir);
        String runStarted = Instant.now().toString();
        Set<Path> manifests = new TreeSet<>(); // the datasets training read, for the provenance
        TrainableParameters parameters = TrainableParameters.of(model);
        for (Modality m : config.frozenEncoders()) {
            parameters = parameters.freeze(model.encoder(m));
        }
        // a generation head this run does not teach keeps its weights (no weight decay either)
        for (Map.Entry<String, ReplyHead> head : model.replyHeads().entrySet()) {
            if (!schema.heads().containsKey(head.getKey())) {
                parameters = parameters.freeze(head.getValue());
            }
        }
        int stepsPerEpoch =
                Math.max(
                        1,
                        (train.batchesPerEpoch() + config.accumulation() - 1)
                                / config.accumulation());
        int totalSteps = config.epochs() * stepsPerEpoch;
        LearningRateSchedule schedule =
                new LearningRateSchedule(
                        config.learningRate(),
                        Math.round(config.warmupFraction() * totalSteps),
                        totalSteps,
                        config.learningRate() * 0.01);
        AdamWConfig adamW = AdamWConfig.defaults().withWeightDecay(config.weightDecay());
        EarlyStopping stopping =
                new EarlyStopping(config.earlyStoppingMetric(), Math.max(1, config.patience()), 0);

        AdamW optimizer;
        EarlyStopping.Tracker tracker;
        int startStep = 0;
        int startEpoch = 0;
        int startBatch = 0;
        int bestEpoch = -1;
        Path checkpoint = runDir.resolve(CHECKPOINT);
        Optional<Checkpoint.Restored> resumed =
                restore(checkpoint, model, manager, parameters.all(), train.batchesPerEpoch());
        if (resumed.isPresent()) {
            Checkpoint.Restored restored = resumed.get();
            TrainingState state = restored.state();
            optimizer = restored.optimizer();
            tracker = stopping.resume(state.bestMetric(), state.epochsWithoutImprovement());
            startStep = state.step();
            startEpoch = state.epoch();
            startBatch = state.batchInEpoch();
            bestEpoch = state.config().path("bestEpoch").asInt(-1);
            LOG.info(
                    "resuming from step {} (epoch {}, batch {})",
                    startStep,
                    startEpoch,
                    startBatch);
        } else {
            optimizer = new AdamW(adamW, manager, parameters.all());
            tracker = stopping.start();
        }
        OptimiserStep update = new OptimiserStep(optimizer, config.clipNorm());
        Evaluation best = null;
        JsonlLog log = JsonlLog.open(runDir.resolve("log.jsonl"));
        log.truncateAfterStep(startStep);
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(log);

        ParameterStore store = new ParameterStore(manager, false);
        int step = startStep;
        float lastLoss = Float.NaN;
        boolean stoppedEarly = false;
        int epoch = startEpoch;
        boolean paused = false;
        try (MicroBatchThreads microBatches = new MicroBatchThreads(threads)) {
            for (; epoch < config.epochs(); epoch++) {
                if (epoch == config.unfreezeEpoch()) {
                    for (Modality m : config.frozenEncoders()) {
                        parameters = parameters.unfreeze(model.encoder(m));
                    }
                }
                microBatches.prepare(parameters.all(), manager, config.accumulation());
                int batchIndex = epoch == startEpoch ? startBatch : 0;
                // every replica's batches' modalities, by replica (just this one's when alone)
                List<List<List<Set<Modality>>>> modalities =
                        replicas.count() > 1
                                ? ReplicaExchange.presence(replicas, train.modalities(epoch))
                                : null;
                Iterator<Batch> batches = train.epoch(epoch, batchIndex);
                long started = System.nanoTime();
                int samplesSeen = 0;
                while (batches.hasNext()) {
                    List<Batch> micro = new ArrayList<>();
                    while (micro.size() < config.accumulation() && batches.hasNext()) {
                        micro.add(batches.next());
                    }
                    List<List<Set<Modality>>> everyone = new ArrayList<>();
                    if (modalities == null) {
                        micro.forEach(b -> everyone.add(presentModalities(b)));
                    } else {
                        for (List<List<Set<Modality>>> theirs : modalities) {
                            everyone.addAll(theirs.subList(batchIndex, batchIndex + micro.size()));
                        }
                    }
                    batchIndex += micro.size();
                    float lr = schedule.at(step);
                    // every replica's micro-batches share a step's loss, or just this one's
                    int shares = averagesGradients() ? everyone.size() : micro.size();
                    float loss =
                            backward(
                                    model,
                                    store,
                                    manager,
                                    micro,
                                    everyone,
                                    shares,
                                    step,
                                    microBatches);
                    if (averagesGradients()) {
                        loss =
                                ReplicaExchange.sum(
                                        replicas,
                                        step,
                                        loss,
                                        parameters.trainable(),
                                        statistics(parameters.all()),
                                        manager);
                    }
                    OptimiserStep.Outcome outcome =
                            update.take(step, loss, lr, parameters.trainable(), parameters.all());
                    lastLoss = outcome.loss();
                    step++;
                    boolean last =
                            !batches.hasNext()
                                    || (config.maxSteps() > 0 && step >= config.maxSteps());
                    if (sync instanceof ReplicaSync.ParametersEvery every
                            && replicas.count() > 1
                            && (step % every.steps() == 0 || last)) {
                        ReplicaExchange.average(replicas, parameters.all(), manager);
                    }
                    for (Batch b : micro) {
                        samplesSeen += b.size();
                        b.entries().forEach(e -> manifests.add(e.manifest()));
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    StepEvent event =
                            new StepEvent(
                                    step,
                                    epoch,
                                    totalSteps,
                                    outcome.loss(),
                                    lr,
                                    outcome.gradientNorm(),
                                    samplesSeen / Math.max(seconds, 1e-9));
                    all.forEach(l -> l.onStep(event));
                    if (config.maxSteps() > 0 && step >= config.maxSteps()) {
                        Checkpoint.write(
                                checkpoint,
                                model,
                                optimizer,
                                state(step, epoch, batchIndex, tracker, bestEpoch));
                        paused = true;
                        break;
                    }
                }
                if (paused) {
                    break; // in the middle of this epoch: no evaluation, the epoch not counted
                }
                Evaluation evaluation =
                        Evaluator.evaluate(
                                model, manager, validation.epoch(0, 0), schema, Set.of());
                EarlyStopping.Decision decision =
                        tracker.update(evaluation.metric(stopping.metric().name()));
                boolean improved = decision == EarlyStopping.Decision.IMPROVED;
                if (improved) {
                    best = evaluation;
                    bestEpoch = epoch;
                    ModelFiles.saveParameters(model, runDir.resolve(BEST_PARAMETERS));
                }
                EpochEvent event = new EpochEvent(epoch, step, evaluation.metrics(), improved);
                all.forEach(l -> l.onEpoch(event));
                Checkpoint.write(
                        checkpoint,
                        model,
                        optimizer,
                        state(step, epoch + 1, 0, tracker, bestEpoch));
                if (config.patience() > 0 && decision == EarlyStopping.Decision.STOP) {
                    stoppedEarly = true;
                    epoch++;
                    break;
                }
            }
            return recorded(
                    finish(
                            model,
                            manager,
                            runDir,
                            validation,
                            schema,
                            best,
                            bestEpoch,
                            epoch,
                            step,
                            stoppedEarly,
                            lastLoss,
                            all),
                    runDir,
                    runStarted,
                    startStep,
                    manifests);
        } finally {
            log.close();
        }
    }

    /**
     * The checkpoint a run resumes from, loaded into {@code model}: alone, the one in {@code
     * checkpoint} (or its fallback); data-parallel, the latest position every replica has a
     * checkpoint of (agreed with the others in one exchange, which also checks that every shard has
     * {@code batchesPerEpoch}), so that replicas stopped while one had written a checkpoint the
     * others had not all go back to the one before it; empty to start from the beginning.
     */
    private Optional<Checkpoint.Restored> restore(
            Path checkpoint,
            FusionModel model,
            NDManager manager,
            List<Parameter> parameters,
            int batchesPerEpoch)
            throws IOException {
        if (replicas.count() == 1) {
            return Checkpoint.exists(checkpoint)
                    ? Optional.of(Checkpoint.read(checkpoint, model, manager, parameters))
                    : Optional.empty();
        }
        List<Checkpoint.Stored> stored = Checkpoint.stored(checkpoint);
        Optional<ReplicaExchange.Position> position =
                ReplicaExchange.start(
                        replicas,
                        batchesPerEpoch,
                        stored.stream().map(c -> ReplicaExchange.Position.of(c.state())).toList());
        for (Checkpoint.Stored candidate : stored) {
            if (position.equals(Optional.of(ReplicaExchange.Position.of(candidate.state())))) {
                return Optional.of(
                        Checkpoint.readExactly(candidate.directory(), model, manager, parameters));
            }
        }
        return Optional.empty();
    }

    private TrainingState state(
            int step, int epoch, int batchInEpoch, EarlyStopping.Tracker tracker, int bestEpoch) {
        ObjectNode extra = JSON.createObjectNode();
        extra.put("bestEpoch", bestEpoch);
        extra.set("train", JSON.valueToTree(config));
        return new TrainingState(
                step,
                epoch,
                batchInEpoch,
                config.seed(),
                tracker.best(),
                tracker.epochsWithoutImprovement(),
                extra);
    }

    /** Ends a run: a finished run ends with its best weights, evaluated; a paused one as it is. */
    private Result finish(
            FusionModel model,
            NDManager manager,
            Path runDir,
            BatchLoader validation,
            TaskSchema schema,
            Evaluation best,
            int bestEpoch,
            int epochs,
            int steps,
            boolean stoppedEarly,
            float lastLoss,
            List<TrainingListener> listeners)
            throws IOException {
        Path bestFile = runDir.resolve(BEST_PARAMETERS);
        boolean finished = epochs >= config.epochs() || stoppedEarly;
        if (finished && Files.exists(bestFile)) {
            ModelFiles.loadParameters(model, manager, bestFile);
            if (best == null) { // the best epoch was before a resume
                best = Evaluator.evaluate(model, manager, validation.epoch(0, 0), schema, Set.of());
            }
        }
        EndEvent end =
                new EndEvent(
                        steps,
                        epochs,
                        stoppedEarly ? EndEvent.Outcome.STOPPED_EARLY : EndEvent.Outcome.COMPLETED);
        if (finished) {
            listeners.forEach(l -> l.onTrainingEnd(end));
        }
        return new Result(best, bestEpoch, epochs, steps, stoppedEarly, lastLoss, null);
    }

    /** The result with its provenance, which is also written to {@code RUN/provenance.json}. */
    private Result recorded(
            Result result, Path runDir, String started, int startStep, Set<Path> manifests)
            throws IOException {
        Provenance provenance =
                new Provenance(
                        Provenance.buildVersion(),
                        started,
                        Instant.now().toString(),
                        startStep,
                        config.seed(),
                        config,
                        Provenance.fingerprints(manifests),
                        result.epochs(),
                        result.steps());
        provenance.write(runDir.resolve(Provenance.FILE));
        return new Result(
                result.best(),
                result.bestEpoch(),
                result.epochs(),
                result.steps(),
                result.stoppedEarly(),
                result.lastLoss(),
                provenance);
    }

    /**
     * The step's micro-batches, forward and backward, on the micro-batch threads: their gradients
     * summed in the model's, their summed loss returned.
     *
     * @param everyone the modalities of every replica's micro-batches of this step, in replica
     *     order (just {@code micro}'s when training alone): modality dropout and the dropout seeds
     *     are drawn over all of them, so each replica draws what one process would
     */
    private float backward(
            FusionModel model,
            ParameterStore store,
            NDManager manager,
            List<Batch> micro,
            List<List<Set<Modality>>> everyone,
            int shares,
            int step,
            MicroBatchThreads microBatches) {
        Engine.getInstance().setRandomSeed(Seeds.forStep(config.seed(), step));
        SplittableRandom random = new SplittableRandom(Seeds.forStep(config.seed(), step));
        int first = replicas.rank() * micro.size(); // this replica's first micro-batch
        for (int k = 0; k < micro.size(); k++) {
            if (!presentModalities(micro.get(k)).equals(everyone.get(first + k))) {
                throw new IllegalStateException(
                        "step " + step + ": micro-batch " + k + " is not the one exchanged");
            }
        }
        // drawn here, in micro-batch order, so it does not matter which thread runs which
        List<List<Set<Modality>>> dropped = new ArrayList<>();
        for (List<Set<Modality>> batch : everyone) {
            dropped.add(modalityDropout.choose(batch, random));
        }
        long[] forwardSeeds = random.longs(everyone.size()).toArray();
        float loss =
                microBatches.run(
                        micro.size(),
                        store,
                        (k, parameters) ->
                                forwardBackward(
                                        model,
                                        parameters,
                                        manager,
                                        micro.get(k),
                                        dropped.get(first + k),
                                        forwardSeeds[first + k],
                                        shares));
        return loss;
    }

    private boolean averagesGradients() {
        return replicas.count() > 1 && sync instanceof ReplicaSync.EveryStep;
    }

    private static List<Parameter> statistics(List<Parameter> all) {
        return all.stream().filter(MicroBatchParameters::isStatistic).toList();
    }

    /** One micro-batch: forward, loss, backward; returns its share of the step's loss. */
    private float forwardBackward(
            FusionModel model,
            ParameterStore store,
            NDManager manager,
            Batch batch,
            List<Set<Modality>> dropped,
            long forwardSeed,
            int microBatches) {
        try (NDManager batchManager = manager.newSubManager();
                ForwardRandom.Binding seeded = ForwardRandom.bind(forwardSeed)) {
            try (GradientRecording recording = GradientRecording.start()) {
                Map<Modality, NDList> inputs =
                        BatchInputs.of(batch, model.config().modalities(), dropped, batchManager);
                NDArray total;
                if (config.contrastiveWeight() > 0 && model.config().modalities().size() >= 2) {
                    FusionModel.Outputs out = model.predictWithEmbeddings(store, inputs, true);
                    HeadLosses.Total heads =
                            HeadLosses.total(
                                    model,
                                    store,
                                    new HeadLosses.Forward(
                                            new FusionModel.Encoded(
                                                    out.logits(), out.tokens(), out.fused()),
                                            inputs),
                                    batch.targets(),
                                    config.labelSmoothing(),
                                    batchManager,
                                    true);
                    NDArray withAlignment =
                            heads.loss()
                                    .add(
                                            Scalars.mul(
                                                    alignment(model, out),
                                                    config.contrastiveWeight()));
                    total =
                            trainingLoss.total(
                                    inputs,
                                    out.logits(),
                                    heads.replies(),
                                    withAlignment,
                                    batchManager);
                } else {
                    FusionModel.Encoded out = model.predictWithTokens(store, inputs, true);
                    HeadLosses.Total heads =
                            HeadLosses.total(
                                    model,
                                    store,
                                    new HeadLosses.Forward(out, inputs),
                                    batch.targets(),
                                    config.labelSmoothing(),
                                    batchManager,
                                    true);
                    total =
                            trainingLoss.total(
                                    inputs,
                                    out.logits(),
                                    heads.replies(),
                                    heads.loss(),
                                    batchManager);
                }
                recording.backward(Scalars.div(total, microBatches));
                return total.getFloat() / microBatches;
            }
        }
    }

    /** InfoNCE between the model's first two modalities, on the samples that have both. */
    private static NDArray alignment(FusionModel model, FusionModel.Outputs out) {
        Modality a = model.config().modalities().get(0);
        Modality b = model.config().modalities().get(1);
        NDArray both = out.present().get(a).mul(out.present().get(b)).gt(0.5f);
        return Losses.infoNce(out.embeddings().get(a), out.embeddings().get(b), both, 0.07f);
    }

    private static List<Set<Modality>> presentModalities(Batch batch) {
        List<Set<Modality>> present = new ArrayList<>();
        for (ManifestEntry entry : batch.entries()) {
            Set<Modality> has = new TreeSet<>();
            has.addAll(entry.inputs().keySet());
            present.add(has);
        }
        return present;
    }
}
