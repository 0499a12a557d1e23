package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluation;
import dev.braid.fusion.train.Evaluator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code braid bench --models A,B,...}: several models of one task side by side, for comparing a
 * model with its compressed forms: size on disk, one-sample predict latency (decoding included),
 * batch inference rate and test accuracy per head. The models take turns, round after round, so
 * that a change in the machine's load falls on all of them alike; speed is best read as ratios to
 * the first model.
 */
final class ModelComparison {

    /** What was measured of one model. */
    record Measured(
            Path model,
            long bytes,
            double p50Millis,
            double p99Millis,
            double cpuP50Millis,
            double samplesPerSecond,
            double samplesPerCpuSecond,
            Map<String, Double> accuracy,
            Map<String, Double> agreement) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final int LATENCY_SAMPLES = 100;

    private ModelComparison() {}

    static List<Measured> measure(List<Path> models, Dataset dataset, int rounds)
            throws IOException {
        List<ManifestEntry> test = dataset.entries(Split.TEST);
        List<Map<Modality, byte[]>> all = new ArrayList<>();
        for (ManifestEntry e : test) {
            all.add(raw(e));
        }
        List<Map<Modality, byte[]>> inputs = all.subList(0, Math.min(LATENCY_SAMPLES, all.size()));
        List<List<Map<String, String>>> answers = new ArrayList<>();
        int n = models.size();
        List<FusionPredictor> predictors = new ArrayList<>();
        List<long[]> micros = new ArrayList<>();
        List<long[]> cpuMicros = new ArrayList<>();
        double[][] rates = new double[n][rounds];
        double[][] cpuRates = new double[n][rounds];
        List<Map<String, Double>> accuracy = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<FusionModel> loaded = new ArrayList<>();
            List<ModelDirectory> descriptions = new ArrayList<>();
            for (Path model : models) {
                predictors.add(FusionPredictor.load(model));
                ModelDirectory d = ModelDirectory.read(model);
                descriptions.add(d);
                loaded.add(d.loadModel(model, manager));
                micros.add(new long[rounds * inputs.size()]);
                cpuMicros.add(new long[rounds * inputs.size()]);
            }
            for (int i = 0; i < n; i++) { // warm-up: every test sample's answer; and the accuracy
                List<Map<String, String>> labels = new ArrayList<>();
                for (Map<Modality, byte[]> sample : all) {
                    Map<String, String> byHead = new TreeMap<>();
                    predictors
                            .get(i)
                            .predict(sample)
                            .heads()
                            .forEach((h, a) -> byHead.put(h, a.label()));
                    labels.add(byHead);
                }
                answers.add(labels);
                accuracy.add(
                        accuracy(
                                batch(
                                        loaded.get(i),
                                        descriptions.get(i),
                                        models.get(i),
                                        test,
                                        manager)));
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < inputs.size(); k++) {
                        long cpu = THREADS.getCurrentThreadCpuTime();
                        long t = System.nanoTime();
                        predictors.get(i).predict(inputs.get(k));
                        micros.get(i)[r * inputs.size() + k] = (System.nanoTime() - t) / 1000;
                        cpuMicros.get(i)[r * inputs.size() + k] =
                                (THREADS.getCurrentThreadCpuTime() - cpu) / 1000;
                    }
                    long cpu = PROCESS.getProcessCpuTime();
                    long t = System.nanoTime();
                    int samples =
                            batch(loaded.get(i), descriptions.get(i), models.get(i), test, manager)
                                    .samples();
                    rates[i][r] = samples / ((System.nanoTime() - t) / 1e9);
                    cpuRates[i][r] = samples / ((PROCESS.getProcessCpuTime() - cpu) / 1e9);
                }
            }
        } finally {
            predictors.forEach(FusionPredictor::close);
        }
        List<Measured> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] m = micros.get(i);
            Arrays.sort(m);
            long[] c = cpuMicros.get(i);
            Arrays.sort(c);
            double[] r = rates[i].clone();
            Arrays.sort(r);
            double[] rc = cpuRates[i].clone();
            Arrays.sort(rc);
            out.add(
                    new Measured(
                            models.get(i),
                            sizeOnDisk(models.get(i)),
                            m[m.length / 2] / 1000.0,
                            m[(int) (m.length * 0.99)] / 1000.0,
                            c[c.length / 2] / 1000.0,
                            r[r.length / 2],
                            rc[rc.length / 2],
                            accuracy.get(i),
                            agreement(answers.get(i), answers.get(0))));
        }
        return out;
    }

    /** The test split in batches of 64, decoding included. */
    private static Evaluation batch(
            FusionModel model,
            ModelDirectory description,
            Path dir,
            List<ManifestEntry> test,
            NDManager manager)
            throws IOException {
        FeatureExtractor extractor =
                FeatureExtractor.of(description.tokenizer(dir), description.features());
        try (BatchLoader loader =
                new BatchLoader(
                        SampleSource.of(test, Order.SEQUENTIAL),
                        extractor,
                        description.schema(),
                        BatchLoaderConfig.of(64, 0))) {
            return Evaluator.evaluate(
                    model, manager, loader.epoch(0, 0), description.schema(), Set.of());
        }
    }

    /** Per head, the share of test samples on which two models give the same label. */
    private static Map<String, Double> agreement(
            List<Map<String, String>> these, List<Map<String, String>> first) {
        Map<String, Double> out = new TreeMap<>();
        for (String head : first.get(0).keySet()) {
            int same = 0;
            for (int k = 0; k < first.size(); k++) {
                if (first.get(k).get(head).equals(these.get(k).get(head))) {
                    same++;
                }
            }
            out.put(head, same / (double) first.size());
        }
        return out;
    }

    private static Map<String, Double> accuracy(Evaluation evaluation) {
        Map<String, Double> out = new TreeMap<>();
        evaluation
                .metrics()
                .forEach(
                        (name, value) -> {
                            if (name.endsWith("/accuracy")) {
                                out.put(
                                        name.substring(0, name.length() - "/accuracy".length()),
                                        value);
                            }
                        });
        return out;
    }

    /** One test row's inputs as a request brings them: text as UTF-8, files as their bytes. */
    private static Map<Modality, byte[]> raw(ManifestEntry e) {
        Map<Modality, byte[]> out = new TreeMap<>();
        e.inputs()
                .forEach(
                        (m, value) -> {
                            try {
                                out.put(
                                        m,
                                        m.equals(Modality.TEXT)
                                                ? value.getBytes(StandardCharsets.UTF_8)
                                                : Files.readAllBytes(Path.of(value)));
                            } catch (IOException ex) {
                                throw new UncheckedIOException(ex);
                            }
                        });
        return out;
    }

    /** The bytes of the model's own files (not a training folder left beside them). */
    static long sizeOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    /**
     * The table. Wall-clock times suffer from other processes on the machine; the CPU columns (the
     * calling thread's CPU time per predict call, with libtorch on that one thread; samples per
     * CPU-second of the whole process for the batches) much less, so the ratios to the first model
     * are taken from them.
     */
    static String table(List<Measured> measured) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "%-44s %11s %8s %8s %8s %9s %9s %8s %8s  %s | %s%n",
                        "model",
                        "size",
                        "p50 ms",
                        "p99 ms",
                        "cpu p50",
                        "batch/s",
                        "batch/cpu",
                        "x p50",
                        "x batch",
                        "test accuracy",
                        "agreement with the first"));
        Measured first = measured.get(0);
        for (Measured m : measured) {
            StringBuilder acc = new StringBuilder();
            m.accuracy()
                    .forEach(
                            (head, value) ->
                                    acc.append(String.format("%s %.1f%%  ", head, 100 * value)));
            StringBuilder agree = new StringBuilder();
            m.agreement()
                    .forEach(
                            (head, value) ->
                                    agree.append(String.format("%s %.1f%%  ", head, 100 * value)));
            out.append(
                    String.format(
                            "%-44s %7.1f KiB %8.2f %8.2f %8.2f %9.1f %9.1f %7.2fx %7.2fx  %s | %s%n",
                            m.model(),
                            m.bytes() / 1024.0,
                            m.p50Millis(),
                            m.p99Millis(),
                            m.cpuP50Millis(),
                            m.samplesPerSecond(),
                            m.samplesPerCpuSecond(),
                            first.cpuP50Millis() / m.cpuP50Millis(),
                            m.samplesPerCpuSecond() / first.samplesPerCpuSecond(),
                            acc.toString().trim(),
                            agree.toString().trim()));
        }
        return out.toString();
    }
}
