package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.testing.TinyRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionTrainerTest {

    @TempDir static Path data;
    static TinyRun run;

    @BeforeAll
    static void createData() throws IOException {
        run = TinyRun.create(data.resolve("tri"), 192, 64, 64);
    }

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().epochs(4).batchSize(16).modalityDropout(0.1f);
    }

    /** Trains and returns every parameter's values afterwards, plus the result. */
    private static float[] train(
            TrainConfig config,
            Path runDir,
            List<TrainingListener> listeners,
            ModelConfig modelConfig,
            NDManager manager,
            FusionTrainer.Result[] result)
            throws IOException {
        return train(config, runDir, listeners, modelConfig, manager, result, 1);
    }

    /** As above, the step's micro-batches computed on up to {@code threads} threads. */
    private static float[] train(
            TrainConfig config,
            Path runDir,
            List<TrainingListener> listeners,
            ModelConfig modelConfig,
            NDManager manager,
            FusionTrainer.Result[] result,
            int threads)
            throws IOException {
        FusionModel model = TinyRun.model(modelConfig, manager, 1);
        try (BatchLoader train = run.loader(Split.TRAIN, config.batchSize(), config.seed());
                BatchLoader val = run.loader(Split.VAL, 32, config.seed())) {
            result[0] =
                    new FusionTrainer(config, threads)
                            .fit(model, manager, train, val, run.schema, runDir, listeners);
        }
        return flatten(model);
    }

    static float[] flatten(FusionModel model) {
        List<Float> values = new ArrayList<>();
        model.getParameters()
                .forEach(
                        p -> {
                            for (float v : p.getValue().getArray().toFloatArray()) {
                                values.add(v);
                            }
                        });
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Test
    void stoppingAndResumingEqualsTrainingStraightThrough(@TempDir Path dir) throws IOException {
        FusionTrainer.Result[] straight = new FusionTrainer.Result[1];
        FusionTrainer.Result[] resumed = new FusionTrainer.Result[1];
        float[] a;
        float[] b;
        ModelConfig modelConfig = run.modelConfig(FusionKind.PAIRWISE);
        // 12 steps per epoch; stop in the middle of epoch 1 and after the end of epoch 0's
        // evaluation
        try (NDManager manager = NDManager.newBaseManager()) {
            a =
                    train(
                            config().maxSteps(20).build(),
                            dir.resolve("straight"),
                            List.of(),
                            modelConfig,
                            manager,
                            straight);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            train(
                    config().maxSteps(10).build(),
                    dir.resolve("resumed"),
                    List.of(),
                    modelConfig,
                    manager,
                    resumed);
            assertEquals(10, resumed[0].steps());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            b =
                    train(
                            config().maxSteps(20).build(),
                            dir.resolve("resumed"),
                            List.of(),
                            modelConfig,
                            manager,
                            resumed);
        }
        assertEquals(20, resumed[0].steps());
        assertEquals(straight[0].lastLoss(), resumed[0].lastLoss(), 0f);
        assertArrayEquals(a, b, 0f, "the same weights after 10 + 10 steps as after 20");
        assertTrue(
                Files.readAllLines(dir.resolve("resumed/log.jsonl")).stream()
                                .filter(
                                        l ->
                                                l.contains("\"step\"")
                                                        && l.contains("\"type\":\"step\""))
                                .count()
                        <= 20);
    }

    @Test
    void sameSeedGivesTheSameWeightsBitForBit(@TempDir Path dir) throws IOException {
        ModelConfig modelConfig = run.modelConfig(FusionKind.LATENT);
        List<float[]> weights = new ArrayList<>();
        List<FusionTrainer.Result> results = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            FusionTrainer.Result[] result = new FusionTrainer.Result[1];
            try (NDManager manager = NDManager.newBaseManager()) {
                weights.add(
                        train(
                                config().epochs(2).build(),
                                dir.resolve(name),
                                List.of(),
                                modelConfig,
                                manager,
                                result));
            }
            results.add(result[0]);
        }
        byte[] saved = Files.readAllBytes(dir.resolve("a").resolve(FusionTrainer.BEST_PARAMETERS));
        for (int i = 1; i < 3; i++) {
            assertArrayEquals(weights.get(0), weights.get(i), 0f, "run " + i + "'s weights");
            assertEquals(results.get(0).lastLoss(), results.get(i).lastLoss(), 0f);
            assertEquals(results.get(0).best().metrics(), results.get(i).best().metrics());
            String name = List.of("a", "b", "c").get(i);
            assertArrayEquals(
                    saved,
                    Files.readAllBytes(dir.resolve(name).resolve(FusionTrainer.BEST_PARAMETERS)),
                    "run " + name + "'s saved parameter file");
        }
    }

    @Test
    void microBatchesOnTwoThreadsGiveTheWeightsOfOneThreadBitForBit(@TempDir Path dir)
            throws IOException {
        TrainConfig twoMicroBatches = config().epochs(2).batchSize(8).accumulation(2).build();
        ModelConfig modelConfig = run.modelConfig(FusionKind.LATENT);
        float[][] weights = new float[2][];
        FusionTrainer.Result[][] results = new FusionTrainer.Result[2][1];
        for (int threads = 1; threads <= 2; threads++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                weights[threads - 1] =
                        train(
                                twoMicroBatches,
                                dir.resolve("threads-" + threads),
                                List.of(),
                                modelConfig,
                                manager,
                                results[threads - 1],
                                threads);
            }
        }
        assertArrayEquals(weights[0], weights[1], 0f, "weights after 1 and 2 threads");
        assertEquals(results[0][0].lastLoss(), results[1][0].lastLoss(), 0f);
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("threads-1").resolve(FusionTrainer.BEST_PARAMETERS)),
                Files.readAllBytes(
                        dir.resolve("threads-2").resolve(FusionTrainer.BEST_PARAMETERS)));
    }

    @Test
    void everyRunRecordsItsProvenanceWithTheManifestsFingerprints(@TempDir Path dir)
            throws IOException {
        FusionTrainer.Result[] result = new FusionTrainer.Result[1];
        try (NDManager manager = NDManager.newBaseManager()) {
            train(
                    config().epochs(1).build(),
                    dir,
                    List.of(),
                    run.modelConfig(FusionKind.EARLY),
                    manager,
                    result);
        }
        Provenance provenance = result[0].provenance();
        assertEquals(provenance, Provenance.read(dir.resolve(Provenance.FILE)));
        assertEquals(
                dev.braid.fusion.predict.ModelDirectory.BRAID_VERSION, provenance.braidVersion());
        assertTrue(!provenance.braidVersion().isBlank());
        assertEquals(config().build().seed(), provenance.seed());
        assertEquals(result[0].steps(), provenance.steps());
        assertEquals(0, provenance.resumedFromStep());
        assertTrue(provenance.started().compareTo(provenance.finished()) <= 0);
        Path manifest = run.dataset.dir().resolve(dev.braid.fusion.data.Manifest.FILE_NAME);
        assertEquals(
                List.of(Provenance.DatasetFingerprint.of(manifest.toRealPath())),
                provenance.datasets());
    }

    @Test
    void liveArrayCountDoesNotGrowAfterWarmUp(@TempDir Path dir) throws IOException {
        List<Integer> counts = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingListener counter =
                    new TrainingListener() {
                        @Override
                        public void onStep(StepEvent event) {
                            counts.add(
                                    ((ai.djl.ndarray.BaseNDManager) manager)
                                            .getManagedArrays()
                                            .size());
                        }
                    };
            train(
                    config().epochs(3).build(),
                    dir,
                    List.of(counter),
                    run.modelConfig(FusionKind.PAIRWISE),
                    manager,
                    new FusionTrainer.Result[1]);
        }
        // After the first steps (optimizer moments created) the count stays flat for 30 more steps.
        int afterWarmUp = counts.get(3);
        for (int i = 3; i < counts.size(); i++) {
            assertEquals(
                    afterWarmUp, counts.get(i), "live arrays at step " + (i + 1) + ": " + counts);
        }
        assertTrue(counts.size() >= 30);
    }

    @Test
    void frozenEncoderStaysFixedUntilUnfrozen(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = TinyRun.model(run.modelConfig(FusionKind.EARLY), manager, 1);
            float[] before =
                    model.encoder(Modality.IMAGE)
                            .getParameters()
                            .valueAt(0)
                            .getArray()
                            .toFloatArray();
            TrainConfig config =
                    config().epochs(2)
                            .frozenEncoders(Set.of(Modality.IMAGE))
                            .unfreezeEpoch(1)
                            .build();
            List<float[]> afterEpoch0 = new ArrayList<>();
            TrainingListener snapshot =
                    new TrainingListener() {
                        @Override
                        public void onEpoch(EpochEvent event) {
                            if (event.epoch() == 0) {
                                afterEpoch0.add(
                                        model.encoder(Modality.IMAGE)
                                                .getParameters()
                                                .valueAt(0)
                                                .getArray()
                                                .toFloatArray());
                            }
                        }
                    };
            try (BatchLoader train = run.loader(Split.TRAIN, 16, 42);
                    BatchLoader val = run.loader(Split.VAL, 32, 42)) {
                new FusionTrainer(config)
                        .fit(model, manager, train, val, run.schema, dir, List.of(snapshot));
            }
            float[] end =
                    model.encoder(Modality.IMAGE)
                            .getParameters()
                            .valueAt(0)
                            .getArray()
                            .toFloatArray();
            assertArrayEquals(before, afterEpoch0.get(0), "frozen during epoch 0");
            assertTrue(
                    !java.util.Arrays.equals(before, end), "trained after unfreezing at epoch 1");
        }
    }

    @Test
    void accumulatingTwoHalfBatchesEqualsOneFullBatch(@TempDir Path dir) throws IOException {
        // Text only: no BatchNorm, no dropout, and the text encoder ignores padding, so the
        // gradient of 2 x 8 samples equals that of the same 16 samples at once.
        ModelConfig textOnly = run.modelConfig(FusionKind.PAIRWISE).only(Modality.TEXT);
        TrainConfig base = config().modalityDropout(0f).maxSteps(6).build();
        FusionTrainer.Result[] full = new FusionTrainer.Result[1];
        FusionTrainer.Result[] accumulated = new FusionTrainer.Result[1];
        try (NDManager manager = NDManager.newBaseManager()) {
            train(
                    base.toBuilder().batchSize(16).build(),
                    dir.resolve("full"),
                    List.of(),
                    textOnly,
                    manager,
                    full);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            train(
                    base.toBuilder().batchSize(8).accumulation(2).build(),
                    dir.resolve("acc"),
                    List.of(),
                    textOnly,
                    manager,
                    accumulated);
        }
        // Not the weights bit for bit: Adam turns a rounding-level gradient into a full step of
        // either sign. The loss after 5 updates is what must agree.
        assertEquals(6, accumulated[0].steps());
        assertEquals(full[0].lastLoss(), accumulated[0].lastLoss(), 1e-4f * full[0].lastLoss());
    }

    @Test
    void earlyStoppingEndsARunThatStopsImproving(@TempDir Path dir) throws IOException {
        FusionTrainer.Result[] result = new FusionTrainer.Result[1];
        // A learning rate too small to change the predictions: accuracy never improves after epoch
        // 0.
        TrainConfig config =
                config().epochs(6)
                        .learningRate(1e-9f)
                        .earlyStoppingMetric("label/accuracy")
                        .patience(2)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            train(config, dir, List.of(), run.modelConfig(FusionKind.EARLY), manager, result);
        }
        assertTrue(result[0].stoppedEarly());
        assertEquals(3, result[0].epochs(), "best at epoch 0, then 2 epochs without improvement");
        assertEquals(0, result[0].bestEpoch());
    }
}
