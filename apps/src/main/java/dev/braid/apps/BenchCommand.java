package dev.braid.apps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid bench}: how fast the default model trains and predicts on this machine, and whether
 * memory stays flat. Prints numbers; asserts nothing.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure Braid on this machine: training samples/s and steps/s of the default"
                    + " AV-MNIST model, achieved GFLOP/s against a 2048x2048 matrix product (also"
                    + " at a compute-bound width), the customer-service model's training rate,"
                    + " memory after the first epoch vs after many steps, single-sample predict"
                    + " latency p50/p99 and batch inference samples/s."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            defaultValue = "data/avmnist",
            description = "The dataset (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--support-data",
            defaultValue = "data/support",
            description = "The customer-service tickets (default: ${DEFAULT-VALUE}).")
    Path supportData;

    @Option(
            names = "--epochs",
            defaultValue = "2",
            description = "Training epochs to time (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--memory-steps",
            defaultValue = "0",
            description =
                    "Train the default model for at least this many steps and compare memory"
                            + " after the first epoch with memory at the end (default: as many"
                            + " as --epochs gives).")
    int memorySteps;

    @Option(
            names = "--out",
            defaultValue = "runs/bench",
            description = "Scratch folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--models",
            split = ",",
            description =
                    "Only compare these model directories on --data's test split (size, predict"
                            + " p50/p99, batch samples/s, accuracy), taking turns; e.g. a model"
                            + " and its braid compress forms.")
    List<Path> models = new ArrayList<>();

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "With --models: the rounds of turns (default: ${DEFAULT-VALUE}).")
    int rounds;

    /** Model and fusion width at which a training step is dominated by matrix products. */
    static final int COMPUTE_BOUND_WIDTH = 256;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || memorySteps < 0) {
            throw new IllegalArgumentException(
                    "--epochs ("
                            + epochs
                            + ") must be >= 1 and --memory-steps ("
                            + memorySteps
                            + ") >= 0");
        }
        System.out.printf(
                "Braid bench: %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (!models.isEmpty()) {
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds (" + rounds + ") must be >= 1");
            }
            for (Path model : models) {
                InputFiles.directory("--models", model);
            }
            Dataset dataset =
                    dev.braid.fusion.data.layout.DatasetLayout.read(
                            InputFiles.dataset("--data", data));
            System.out.print(
                    ModelComparison.table(ModelComparison.measure(models, dataset, rounds)));
            return 0;
        }
        double peak = matmulGflops();
        System.out.printf(
                "matrix product 2048x2048 fp32:        %8.1f GFLOP/s (the practical peak, %d at once)%n",
                peak, Runtime.getRuntime().availableProcessors());

        String dataSet = "data=[{path: \"" + data + "\", weight: 1}]";
        int defaultEpochs = epochs;
        if (memorySteps > 0) {
            int trainRows = Manifest.read(data).entries(Split.TRAIN).size();
            int stepsPerEpoch = (trainRows + 31) / 32;
            defaultEpochs = Math.max(epochs, (memorySteps + stepsPerEpoch - 1) / stepsPerEpoch);
        }
        TimedTraining.Timing standard =
                TimedTraining.of(
                        "avmnist-pairwise",
                        out.resolve("train"),
                        List.of(dataSet, "training.epochs=" + defaultEpochs));
        printTraining("avmnist-pairwise", standard, peak);
        printMemory(standard);

        int w = COMPUTE_BOUND_WIDTH;
        TimedTraining.Timing wide =
                TimedTraining.of(
                        "avmnist-pairwise",
                        out.resolve("train-wide"),
                        List.of(
                                dataSet,
                                "training.epochs=1",
                                "model.width=" + w,
                                "model.fusion.width=" + w));
        printTraining("avmnist-pairwise, width " + w, wide, peak);

        if (Files.isDirectory(supportData)) {
            TimedTraining.Timing support =
                    TimedTraining.of(
                            "support-fused",
                            out.resolve("train-support"),
                            List.of(
                                    "data=[{path: \"" + supportData + "\", weight: 1}]",
                                    "training.epochs=1"));
            System.out.printf(
                    "training support-fused (batch %d):     %8.1f samples/s, %.2f steps/s%n",
                    support.config().training().samplesPerStep(),
                    support.samplesPerSecond(),
                    support.stepsPerSecond());
        }

        Dataset dataset = standard.run().datasets().get(0);
        latency(standard.result().modelDir(), dataset);
        batchInference(standard.result().modelDir(), dataset);
        return 0;
    }

    private static void printMemory(TimedTraining.Timing t) {
        long nativeFirst = t.rssAfterFirstEpoch() - t.jvmAfterFirstEpoch();
        long nativeEnd = t.rssAtEnd() - t.jvmAtEnd();
        System.out.printf(
                "process memory (RSS):                 %8.1f MiB after epoch 1 (step %d), %.1f MiB at step %d (%+.1f%%; peak %.1f MiB)%n",
                t.rssAfterFirstEpoch() / 1048576.0,
                t.firstEpochStep(),
                t.rssAtEnd() / 1048576.0,
                t.lastStep(),
                percentChange(t.rssAfterFirstEpoch(), t.rssAtEnd()),
                TimedTraining.peakRss() / 1048576.0);
        System.out.printf(
                "  of which not the JVM's (heap, non-heap, direct buffers): %.1f MiB, then %.1f MiB (%+.1f%%)%n",
                nativeFirst / 1048576.0,
                nativeEnd / 1048576.0,
                percentChange(nativeFirst, nativeEnd));
    }

    private static double percentChange(long from, long to) {
        return 100.0 * (to - from) / Math.max(1, from);
    }

    private static void printTraining(String name, TimedTraining.Timing t, double peak)
            throws IOException {
        ModelConfig model = ModelDirectory.read(t.result().modelDir()).config();
        int batch = t.config().training().samplesPerStep();
        double stepFlops = 3 * batch * sampleFlops(model, t.run());
        double achieved = stepFlops * t.stepsPerSecond() / 1e9;
        System.out.printf(
                "training %s (batch %d, steps %d-%d): %.1f samples/s, %.2f steps/s%n",
                name,
                batch,
                TimedTraining.WARM_UP,
                t.lastStep(),
                t.samplesPerSecond(),
                t.stepsPerSecond());
        System.out.printf(
                "  step compute: %.2f GFLOP/s achieved (%.1f MFLOP/step, analytic) = %.1f%% of the matrix-product peak%n",
                achieved, stepFlops / 1e6, 100 * achieved / peak);
    }

    private static double sampleFlops(ModelConfig model, TrainingRun run) {
        var f = run.featureSettings();
        double image = FlopCount.image(model.image(), f.image().height(), f.image().width());
        int frames = f.audioMaxFrames() / 2; // clips average about half the cap
        double audio = FlopCount.audio(model.audio(), f.logMel().nMels(), frames);
        double imageTokens = Math.pow(Math.ceil(f.image().height() / 4.0), 2);
        double audioTokens = Math.ceil(frames / 4.0);
        double fusion =
                FlopCount.fusion(
                        model.fusion(),
                        new double[] {imageTokens, audioTokens},
                        new int[] {model.image().width(), model.audio().width()});
        return image + audio + fusion;
    }

    private static void latency(Path modelDir, Dataset dataset) throws IOException {
        List<ManifestEntry> test = dataset.entries(Split.TEST);
        List<byte[][]> inputs = new ArrayList<>();
        for (ManifestEntry e : test.subList(0, Math.min(300, test.size()))) {
            inputs.add(
                    new byte[][] {
                        Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE))),
                        Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO)))
                    });
        }
        try (FusionPredictor predictor = FusionPredictor.load(modelDir)) {
            for (int i = 0; i < 30; i++) {
                predictor.predict(null, inputs.get(i)[0], inputs.get(i)[1]);
            }
            long[] micros = new long[inputs.size()];
            for (int i = 0; i < inputs.size(); i++) {
                long t = System.nanoTime();
                predictor.predict(null, inputs.get(i)[0], inputs.get(i)[1]);
                micros[i] = (System.nanoTime() - t) / 1000;
            }
            Arrays.sort(micros);
            System.out.printf(
                    "predict one sample (decode + features + model), %d calls: p50 %.2f ms, p99 %.2f ms%n",
                    micros.length,
                    micros[micros.length / 2] / 1000.0,
                    micros[(int) (micros.length * 0.99)] / 1000.0);
        }
    }

    private static void batchInference(Path modelDir, Dataset dataset) throws IOException {
        ModelDirectory description = ModelDirectory.read(modelDir);
        FeatureExtractor extractor =
                FeatureExtractor.of(description.tokenizer(modelDir), description.features());
        TaskSchema schema = description.schema();
        try (NDManager manager = NDManager.newBaseManager();
                BatchLoader loader =
                        new BatchLoader(
                                SampleSource.of(dataset.entries(Split.TEST), Order.SEQUENTIAL),
                                extractor,
                                schema,
                                BatchLoaderConfig.of(64, 0))) {
            FusionModel model = description.loadModel(modelDir, manager);
            Evaluator.evaluate(model, manager, loader.epoch(0, 0), schema, Set.of()); // warm-up
            long t = System.nanoTime();
            int samples =
                    Evaluator.evaluate(model, manager, loader.epoch(0, 0), schema, Set.of())
                            .samples();
            System.out.printf(
                    "batch inference (batch 64, incl. decoding): %.1f samples/s%n",
                    samples / ((System.nanoTime() - t) / 1e9));
        }
    }

    /**
     * The practical peak: 2048² products on as many threads at once as there are cores, each thread
     * one intra-op thread, as training computes its micro-batches.
     */
    private static double matmulGflops() {
        int threads = Runtime.getRuntime().availableProcessors();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray[]> operands = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                operands.add(
                        new NDArray[] {
                            manager.randomNormal(new Shape(2048, 2048)),
                            manager.randomNormal(new Shape(2048, 2048))
                        });
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                double best = 0;
                for (int round = 0; round < 4; round++) {
                    long t = System.nanoTime();
                    List<Future<?>> running = new ArrayList<>();
                    for (NDArray[] pair : operands) {
                        running.add(
                                pool.submit(
                                        () -> {
                                            for (int k = 0; k < 2; k++) {
                                                try (NDArray c = pair[0].matMul(pair[1])) {
                                                    c.getFloat(0, 0);
                                                }
                                            }
                                        }));
                    }
                    for (Future<?> f : running) {
                        f.get();
                    }
                    double seconds = (System.nanoTime() - t) / 1e9;
                    if (round > 0) {
                        best =
                                Math.max(
                                        best,
                                        threads * 2 * 2.0 * 2048 * 2048 * 2048 / seconds / 1e9);
                    }
                }
                return best;
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("the matrix-product benchmark failed", e);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
