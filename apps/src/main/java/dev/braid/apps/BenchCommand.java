package dev.braid.apps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
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
import dev.braid.fusion.train.StepEvent;
import dev.braid.fusion.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
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
            "Measure the default AV-MNIST model on this machine: training samples/s and steps/s,"
                    + " achieved GFLOP/s against a 2048x2048 matrix product, single-sample predict"
                    + " latency p50/p99, batch inference samples/s, native memory after warm-up vs"
                    + " after many steps."
        })
final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            defaultValue = "data/avmnist",
            description = "The dataset (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--epochs",
            defaultValue = "2",
            description = "Training epochs to time (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--out",
            defaultValue = "runs/bench",
            description = "Scratch folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        System.out.printf(
                "Braid bench: %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        double peak = matmulGflops();
        System.out.printf(
                "matrix product 2048x2048 fp32:        %8.1f GFLOP/s (the practical peak)%n", peak);

        RunConfig config =
                ReadyConfigs.load(
                        "avmnist-pairwise",
                        List.of(
                                "data=[{path: \"" + data + "\", weight: 1}]",
                                "training.epochs=" + epochs,
                                "output=\"" + out.resolve("train") + "\""));
        DemoCommand.deleteRecursively(out); // a benchmark never resumes an old run
        TrainingRun run = new TrainingRun(config);
        StepClock clock = new StepClock();
        TrainingRun.Result result = run.run(List.of(clock));
        Dataset dataset = run.datasets().get(0);
        ModelConfig model = ModelDirectory.read(result.modelDir()).config();
        double stepsPerSecond = clock.stepsPerSecond();
        int batch = config.training().batchSize();
        double samplesPerSecond = stepsPerSecond * batch;
        double stepFlops = 3 * batch * sampleFlops(model, run);
        System.out.printf(
                "training (batch %d, steps %d-%d):    %8.1f samples/s, %.2f steps/s%n",
                batch, StepClock.WARM_UP, clock.lastStep, samplesPerSecond, stepsPerSecond);
        System.out.printf(
                "training step compute:                %8.2f GFLOP/s achieved (%.1f MFLOP/step, analytic) = %.1f%% of the matrix-product peak%n",
                stepFlops * stepsPerSecond / 1e9,
                stepFlops / 1e6,
                100 * stepFlops * stepsPerSecond / 1e9 / peak);
        System.out.printf(
                "process memory (RSS):                 %8.1f MiB after epoch 1 (step %d), %.1f MiB at step %d (peak %.1f MiB)%n",
                clock.rssAfterFirstEpoch / 1048576.0,
                clock.firstEpochStep,
                clock.rssAtEnd / 1048576.0,
                clock.lastStep,
                peakRss() / 1048576.0);

        latency(result.modelDir(), dataset);
        batchInference(result.modelDir(), dataset);
        return 0;
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
                                new BatchLoaderConfig(64, 2, 4, 0))) {
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

    private static double matmulGflops() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(2048, 2048));
            NDArray b = manager.randomNormal(new Shape(2048, 2048));
            double best = 0;
            for (int i = 0; i < 6; i++) {
                long t = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0);
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                if (i > 0) {
                    best = Math.max(best, 2.0 * 2048 * 2048 * 2048 / seconds / 1e9);
                }
            }
            return best;
        }
    }

    /** Resident set size of this process, from /proc; 0 where /proc is not there. */
    static long rss() {
        return procStatus("VmRSS:");
    }

    static long peakRss() {
        return procStatus("VmHWM:");
    }

    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Times steps after a warm-up and samples memory at both ends. */
    private static final class StepClock implements TrainingListener {
        static final int WARM_UP = 10;
        long warmUpNanos;
        long lastNanos;
        int lastStep;
        long rssAtEnd;
        long rssAfterFirstEpoch;
        int firstEpochStep;

        @Override
        public void onStep(StepEvent event) {
            if (event.step() == WARM_UP) {
                warmUpNanos = System.nanoTime();
            } else if (event.step() > WARM_UP) {
                lastNanos = System.nanoTime();
                lastStep = event.step();
                rssAtEnd = rss();
            }
        }

        @Override
        public void onEpoch(dev.braid.fusion.train.EpochEvent event) {
            if (event.epoch() == 0) {
                rssAfterFirstEpoch = rss();
                firstEpochStep = event.step();
            }
        }

        double stepsPerSecond() {
            return (lastStep - WARM_UP) / ((lastNanos - warmUpNanos) / 1e9);
        }
    }
}
