package dev.braid.audio.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.audio.encoder.SpectrogramBatch;
import dev.braid.audio.encoder.SpectrogramEncoder;
import dev.braid.audio.features.Features;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.features.LogMelExtractor;
import dev.braid.audio.signal.Waveform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prints feature and encoder throughput; numbers, not a timed test.
 *
 * <ul>
 *   <li>log-mel: seconds of 16 kHz audio (3 s speech-like clips) turned into log-mel per second of
 *       wall time, on one thread and on all cores;
 *   <li>encoder: forward samples per second for batches of 32 one-second clips.
 * </ul>
 *
 * <p>Each figure is the median of several rounds, since the machine may be shared. Run from the
 * repository root:
 *
 * <pre>
 * mvn -q -pl audio compile exec:java -Dexec.mainClass=dev.braid.audio.bench.AudioBenchmark
 * </pre>
 */
public final class AudioBenchmark {

    /** What is measured and for how long. */
    record Settings(
            LogMelConfig features,
            AudioEncoderConfig encoder,
            double clipSeconds,
            int clips,
            double measureSeconds,
            int encoderBatch,
            double encoderClipSeconds,
            int encoderIterations,
            int rounds) {

        static Settings defaults() {
            return new Settings(
                    LogMelConfig.defaults(),
                    AudioEncoderConfig.small(),
                    3.0,
                    32,
                    1.0,
                    32,
                    1.0,
                    20,
                    5);
        }
    }

    private AudioBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     * @throws Exception if a worker fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Settings settings = Settings.defaults();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "Braid audio benchmark: %d cores, Java %s%n",
                cores, System.getProperty("java.version"));

        List<Waveform> clips = speechLikeClips(settings, new Random(1));
        LogMelExtractor extractor = new LogMelExtractor(settings.features());
        logMelPass(extractor, clips, settings.measureSeconds()); // warm up the JIT
        double[] single = new double[settings.rounds()];
        double[] all = new double[settings.rounds()];
        for (int r = 0; r < settings.rounds(); r++) {
            single[r] = logMelPass(extractor, clips, settings.measureSeconds());
            all[r] = logMelParallel(extractor, clips, settings.measureSeconds(), cores);
        }
        System.out.printf(
                "log-mel (%d mels, nFft %d, hop %d) on %.0f s clips, median of %d rounds:"
                        + " %.0f s audio/s on 1 thread, %.0f s audio/s on %d threads%n",
                settings.features().nMels(),
                settings.features().nFft(),
                settings.features().hop(),
                settings.clipSeconds(),
                settings.rounds(),
                median(single),
                median(all),
                cores);

        encoderThroughput(settings, extractor);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Voiced, syllable-like clips: a harmonic stack on a gliding pitch, 4 Hz envelope, noise. */
    private static List<Waveform> speechLikeClips(Settings settings, Random rng) {
        int rate = settings.features().sampleRate();
        int length = (int) (settings.clipSeconds() * rate);
        List<Waveform> clips = new ArrayList<>();
        for (int c = 0; c < settings.clips(); c++) {
            float[] x = new float[length];
            double pitch = 100 + 100 * rng.nextDouble();
            double phase = 0;
            for (int n = 0; n < length; n++) {
                double t = n / (double) rate;
                phase += 2 * Math.PI * pitch * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t)) / rate;
                double voice = 0;
                for (int h = 1; h <= 10; h++) {
                    voice += Math.sin(h * phase) / h;
                }
                double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
                x[n] = (float) (0.2 * envelope * voice + 0.01 * rng.nextGaussian());
            }
            clips.add(new Waveform(x, rate));
        }
        return clips;
    }

    /** Returns seconds of audio processed per wall second on the calling thread. */
    private static double logMelPass(
            LogMelExtractor extractor, List<Waveform> clips, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        double audio = 0;
        int checksum = 0;
        for (int i = 0; System.nanoTime() < deadline; i++) {
            Waveform clip = clips.get(i % clips.size());
            Features f = extractor.extract(clip);
            checksum += f.frames();
            audio += clip.seconds();
        }
        if (checksum == 0) {
            throw new IllegalStateException("no frames computed");
        }
        return audio / ((System.nanoTime() - start) / 1e9);
    }

    private static double logMelParallel(
            LogMelExtractor extractor, List<Waveform> clips, double seconds, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Double>> rates = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                rates.add(pool.submit(() -> logMelPass(extractor, clips, seconds)));
            }
            double total = 0;
            for (Future<Double> rate : rates) {
                total += rate.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    private static void encoderThroughput(Settings settings, LogMelExtractor extractor) {
        Engine.getInstance().setRandomSeed(1);
        AudioEncoderConfig config = settings.encoder();
        int batch = settings.encoderBatch();
        int rate = settings.features().sampleRate();
        List<Features> features = new ArrayList<>();
        Settings oneSecond =
                new Settings(
                        settings.features(),
                        config,
                        settings.encoderClipSeconds(),
                        batch,
                        0,
                        batch,
                        0,
                        0,
                        0);
        for (Waveform clip : speechLikeClips(oneSecond, new Random(2))) {
            features.add(extractor.extract(clip));
        }
        int frames = settings.features().frames((int) (settings.encoderClipSeconds() * rate));
        try (NDManager manager = NDManager.newBaseManager()) {
            SpectrogramEncoder encoder = new SpectrogramEncoder(config);
            encoder.initialize(
                    manager,
                    DataType.FLOAT32,
                    new Shape(batch, config.mels(), frames),
                    new Shape(batch));
            ParameterStore parameters = new ParameterStore(manager, false);
            Shape tokens = null;
            for (int i = 0; i < 3; i++) { // warm up
                try (NDManager step = manager.newSubManager()) {
                    tokens =
                            encoder.forward(
                                            parameters,
                                            SpectrogramBatch.of(step, features, frames),
                                            false)
                                    .get(0)
                                    .getShape();
                }
            }
            double[] batchSeconds = new double[settings.encoderIterations()];
            for (int i = 0; i < batchSeconds.length; i++) {
                long start = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    NDList out =
                            encoder.forward(
                                    parameters, SpectrogramBatch.of(step, features, frames), false);
                    out.get(0).toFloatArray(); // wait for the result
                }
                batchSeconds[i] = (System.nanoTime() - start) / 1e9;
            }
            double seconds = median(batchSeconds);
            long parameterCount =
                    encoder.getParameters().values().stream()
                            .mapToLong(p -> p.getArray().size())
                            .sum();
            System.out.printf(
                    "encoder %s (%,d parameters), batch %d x (%d mels, %d frames) -> %s,"
                            + " median of %d batches: %.1f ms/batch, %.0f samples/s%n",
                    config,
                    parameterCount,
                    batch,
                    config.mels(),
                    frames,
                    tokens,
                    batchSeconds.length,
                    1000 * seconds,
                    batch / seconds);
        }
    }
}
