package dev.braid.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Checkpoint;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.ModelFiles;
import dev.braid.fusion.train.ReplicaSync;
import dev.braid.fusion.train.Replicas;
import dev.braid.fusion.train.TrainConfig;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two barrier tasks on {@code local[2]}, each on its shard, train the model one process trains on
 * both shards with the same global batch: each step of the one process is two micro-batches of 8,
 * the first from shard 0, the second from shard 1, which is what the two replicas compute.
 */
class BarrierTrainingTest {

    private static final int BATCH = 8;
    private static final int EPOCHS = 2;

    @TempDir static Path dir;
    static SparkSession spark;

    /**
     * What a replica (or the one process) ends with.
     *
     * @param resumedFrom the step it resumed from, 0 if it started at the beginning
     */
    record Trained(float[][] weights, int steps, int resumedFrom, double seconds)
            implements Serializable {}

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("BarrierTrainingTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainConfig config(int accumulation) {
        return config(accumulation, 0);
    }

    /** The test's run; {@code maxSteps} above 0 stops it there, with a checkpoint. */
    private static TrainConfig config(int accumulation, int maxSteps) {
        return TrainConfig.builder()
                .epochs(EPOCHS)
                .batchSize(BATCH)
                .accumulation(accumulation)
                .modalityDropout(0.2f)
                .maxSteps(maxSteps)
                .seed(42)
                .build();
    }

    /** Trains from the weights in {@code initial} on the dataset in {@code data}. */
    private static Trained train(
            Path data,
            String schemaJson,
            Path initial,
            Path runDir,
            TrainConfig config,
            Replicas replicas,
            ReplicaSync sync)
            throws IOException {
        Dataset dataset = Manifest.read(data);
        TaskSchema schema = TaskSchema.fromJson(schemaJson);
        ModelConfig modelConfig = AvmnistSubset.modelConfig(schema);
        try (NDManager manager = NDManager.newBaseManager();
                BatchLoader train =
                        AvmnistSubset.loader(
                                dataset, Split.TRAIN, schema, BATCH, Order.SEQUENTIAL);
                BatchLoader val =
                        AvmnistSubset.loader(dataset, Split.VAL, schema, 16, Order.SEQUENTIAL)) {
            FusionModel model = new FusionModel(modelConfig);
            model.initialize(
                    manager,
                    DataType.FLOAT32,
                    ModelDirectory.inputShapes(modelConfig, AvmnistSubset.FEATURES));
            ModelFiles.loadParameters(model, manager, initial);
            long started = System.nanoTime();
            FusionTrainer.Result result =
                    new FusionTrainer(config, 1, replicas, sync)
                            .fit(model, manager, train, val, schema, runDir, List.of());
            double seconds = (System.nanoTime() - started) / 1e9;
            List<float[]> weights = new ArrayList<>();
            for (Pair<String, Parameter> p : model.getParameters()) {
                weights.add(p.getValue().getArray().toFloatArray());
            }
            return new Trained(
                    weights.toArray(new float[0][]),
                    result.steps(),
                    result.provenance().resumedFromStep(),
                    seconds);
        }
    }

    static List<String> shards = new ArrayList<>();
    static String schemaJson;
    static Path initial;
    static Trained single;

    /** Two shards of the digits, the initial weights, and one process trained on both. */
    @BeforeAll
    static void shardsAndOneProcess() throws IOException {
        List<String> train = AvmnistSubset.lines("train", 64);
        List<String> val = AvmnistSubset.lines("val", 16);
        List<String> all = new ArrayList<>(train);
        all.addAll(val);
        Path whole = dir.resolve("whole");
        TaskSchema schema = TaskSchema.infer(List.of(AvmnistSubset.write(whole, all)));
        for (int r = 0; r < 2; r++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if ((i / BATCH) % 2 == r) { // batches r, r+2, ...: one process's micro-batch r
                    lines.add(train.get(i));
                }
            }
            lines.addAll(val);
            Path shard = dir.resolve("shard-" + r);
            AvmnistSubset.write(shard, lines);
            shards.add(shard.toString());
        }
        initial = dir.resolve("initial.params");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFiles.saveParameters(
                    AvmnistSubset.model(AvmnistSubset.modelConfig(schema), manager, 7), initial);
        }
        schemaJson = schema.toJson();
        single =
                train(
                        whole,
                        schemaJson,
                        initial,
                        dir.resolve("single"),
                        config(2),
                        Replicas.single(),
                        new ReplicaSync.EveryStep());
    }

    /** Both shards trained in barrier mode; {@code every} 0 sums gradients every step. */
    private static List<BarrierTraining.Outcome<Trained>> barrier(String name, int every) {
        return barrier(name, every, 0);
    }

    /**
     * Both shards trained in barrier mode into {@code DIR/name/replica-R}, resuming from the
     * checkpoints there if any; {@code maxSteps} above 0 stops them there.
     */
    private static List<BarrierTraining.Outcome<Trained>> barrier(
            String name, int every, int maxSteps) {
        String schema = schemaJson;
        String initialPath = initial.toString();
        String runs = dir.resolve(name).toString();
        return BarrierTraining.run(
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                shards,
                (shard, group) ->
                        train(
                                Path.of(shard),
                                schema,
                                Path.of(initialPath),
                                Path.of(runs, "replica-" + group.rank()),
                                config(1, maxSteps),
                                group,
                                every == 0
                                        ? new ReplicaSync.EveryStep()
                                        : new ReplicaSync.ParametersEvery(every)));
    }

    /** The largest difference between two models' weights, and the replicas' being identical. */
    private static double maxDifference(List<BarrierTraining.Outcome<Trained>> replicas) {
        Trained first = replicas.get(0).result();
        Trained second = replicas.get(1).result();
        double max = 0;
        for (int p = 0; p < single.weights().length; p++) {
            assertArrayEquals(first.weights()[p], second.weights()[p], "replicas differ");
            for (int i = 0; i < single.weights()[p].length; i++) {
                max = Math.max(max, Math.abs(first.weights()[p][i] - single.weights()[p][i]));
            }
        }
        return max;
    }

    private static void report(String what, List<BarrierTraining.Outcome<Trained>> replicas) {
        Trained first = replicas.get(0).result();
        BarrierTraining.Traffic traffic = replicas.get(0).traffic();
        long values = 0;
        double largest = 0;
        for (float[] w : single.weights()) {
            values += w.length;
            for (float v : w) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        System.out.printf(
                "data-parallel (%s) on local[2], 2 shards, %d steps, %d weights and statistics:"
                        + " max weight difference to one process %.3g (largest weight %.3g); per"
                        + " replica and step %.0f bytes sent in %.2f all-gathers, %.1f ms in them;"
                        + " wall %.2f s (one process, same global batch: %.2f s)%n",
                what,
                first.steps(),
                values,
                maxDifference(replicas),
                largest,
                traffic.bytesSent() / (double) first.steps(),
                traffic.calls() / (double) first.steps(),
                1000 * traffic.secondsWaiting() / first.steps(),
                Math.max(first.seconds(), replicas.get(1).result().seconds()),
                single.seconds());
    }

    private static List<BarrierTraining.Outcome<Trained>> everyStep;

    /** The uninterrupted run with gradients every step, trained once for the tests that use it. */
    private static synchronized List<BarrierTraining.Outcome<Trained>> everyStep() {
        if (everyStep == null) {
            everyStep = barrier("every-step", 0);
        }
        return everyStep;
    }

    /** A replica's file in the last checkpoint of the run {@code name}. */
    private static byte[] checkpointFile(String name, String replica, String file)
            throws IOException {
        return Files.readAllBytes(dir.resolve(name).resolve(replica).resolve("checkpoint/" + file));
    }

    @Test
    void twoShardsInBarrierModeEqualOneProcessWithTheSameGlobalBatch() {
        List<BarrierTraining.Outcome<Trained>> replicas = everyStep();
        assertEquals(2, replicas.size());
        assertEquals(single.steps(), replicas.get(0).result().steps());
        assertEquals(EPOCHS * 64 / (2 * BATCH), single.steps());
        report("gradients every step", replicas);
        assertEquals(0.0, maxDifference(replicas), "not bit for bit");
    }

    @Test
    void averagingWeightsEveryFewStepsKeepsTheReplicasIdenticalAndClose() {
        List<BarrierTraining.Outcome<Trained>> replicas = barrier("every-4", 4);
        report("weights every 4 steps", replicas);
        double difference = maxDifference(replicas); // the replicas end identical
        assertTrue(difference > 0, "averaging weights is not one process's training");
        assertTrue(replicas.get(0).traffic().calls() < replicas.get(0).result().steps());
    }

    /**
     * Both replicas stopped at step 6 (in the middle of epoch 1, after epoch 0's evaluation and
     * best weights), then resumed from their checkpoints to the end; and a copy of the stopped run
     * in which replica 1 lost its step-6 checkpoint (as if killed while writing it: it has only the
     * one before, at the end of epoch 0), resumed: both replicas go back to step 4 together. Either
     * way the weights they end with (the best epoch's), and the last weights and AdamW moments of
     * their final checkpoints, equal the uninterrupted run's and one process's bit for bit, and the
     * replicas' are identical.
     */
    @Test
    void replicasStoppedAndResumedFromTheirCheckpointsEqualAnUninterruptedRun() throws IOException {
        int stop = 6;
        List<BarrierTraining.Outcome<Trained>> stopped = barrier("resumed", 0, stop);
        for (BarrierTraining.Outcome<Trained> replica : stopped) {
            assertEquals(stop, replica.result().steps(), "replica " + replica.rank());
        }
        copy(dir.resolve("resumed"), dir.resolve("rolled-back"));
        deleteTree(dir.resolve("rolled-back/replica-1/checkpoint"));
        int epochZeroEnds = 64 / (2 * BATCH);
        assertUninterrupted("resumed", barrier("resumed", 0, 0), stop);
        assertUninterrupted("rolled-back", barrier("rolled-back", 0, 0), epochZeroEnds);
    }

    /** That the run {@code name}, resumed from {@code step}, ended as if never stopped. */
    private static void assertUninterrupted(
            String name, List<BarrierTraining.Outcome<Trained>> resumed, int step)
            throws IOException {
        List<BarrierTraining.Outcome<Trained>> straight = everyStep();
        for (int r = 0; r < 2; r++) {
            Trained replica = resumed.get(r).result();
            String which = name + ", replica " + r;
            assertEquals(step, replica.resumedFrom(), which + ": resumed from another step");
            assertEquals(single.steps(), replica.steps(), which);
            for (int p = 0; p < single.weights().length; p++) {
                assertArrayEquals(
                        straight.get(r).result().weights()[p],
                        replica.weights()[p],
                        which + ", parameter " + p + ": not the uninterrupted run's");
            }
            String replicaDir = "replica-" + r;
            for (String file : List.of(Checkpoint.MODEL_FILE, Checkpoint.OPTIMIZER_FILE)) {
                assertArrayEquals(
                        checkpointFile("every-step", replicaDir, file),
                        checkpointFile(name, replicaDir, file),
                        which + ": last checkpoint's " + file + " not the uninterrupted run's");
                assertArrayEquals(
                        Files.readAllBytes(dir.resolve("single/checkpoint").resolve(file)),
                        checkpointFile(name, replicaDir, file),
                        which + ": last checkpoint's " + file + " not one process's");
            }
        }
        assertEquals(0.0, maxDifference(resumed), name + ": not one process's weights bit for bit");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
