import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.audio.features.LogMelExtractor;
import dev.braid.audio.signal.AudioLoader;
import dev.braid.audio.signal.Waveform;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.vision.image.ImageDecoder;
import dev.braid.vision.image.ImageSource;
import dev.braid.vision.image.DecodeOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where one sample's prediction spends its time: the calling thread's CPU time (libtorch runs one
 * intra-op thread, on that thread) for each stage of {@code FusionPredictor}'s one-sample path,
 * median over the first 100 test samples, the models taking turns for several rounds.
 *
 * <pre>
 * CP=$(ls apps/target/lib/*.jar | grep -v logback | tr '\n' ':')
 * nice java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$CP" \
 *     tools/bench/PredictProfile.java DATA_DIR ROUNDS MODEL_DIR [MODEL_DIR...]
 * </pre>
 */
public class PredictProfile {

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static final String TRACE = System.getProperty("trace");

    static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<Path> models = Arrays.stream(args).skip(2).map(Path::of).toList();
        ObjectMapper json = new ObjectMapper();
        List<Map<Modality, byte[]>> inputs = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("manifest.jsonl"))) {
            JsonNode row = json.readTree(line);
            if (!row.path("split").asText().equals("test") || inputs.size() == 100) {
                continue;
            }
            Map<Modality, byte[]> in = new TreeMap<>();
            if (row.hasNonNull("text")) {
                in.put(Modality.TEXT, row.get("text").asText().getBytes(StandardCharsets.UTF_8));
            }
            if (row.hasNonNull("image")) {
                in.put(Modality.IMAGE, Files.readAllBytes(data.resolve(row.get("image").asText())));
            }
            if (row.hasNonNull("audio")) {
                in.put(Modality.AUDIO, Files.readAllBytes(data.resolve(row.get("audio").asText())));
            }
            inputs.add(in);
        }
        List<Map<String, List<Long>>> times = new ArrayList<>();
        List<FusionPredictor> predictors = new ArrayList<>();
        List<FusionModel> loaded = new ArrayList<>();
        List<ModelDirectory> dirs = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Path m : models) {
                predictors.add(FusionPredictor.load(m));
                ModelDirectory d = ModelDirectory.read(m);
                dirs.add(d);
                loaded.add(d.loadModel(m, manager));
                times.add(new LinkedHashMap<>());
            }
            for (int r = 0; r < rounds + 1; r++) { // round 0 warms up
                for (int i = 0; i < models.size(); i++) {
                    profile(
                            predictors.get(i),
                            loaded.get(i),
                            dirs.get(i),
                            models.get(i),
                            inputs,
                            r == 0 ? new LinkedHashMap<>() : times.get(i),
                            manager);
                }
            }
        }
        for (int i = 0; i < models.size(); i++) {
            System.out.println(models.get(i) + " (CPU ms, median of " + rounds * inputs.size() + ")");
            times.get(i)
                    .forEach(
                            (stage, t) -> {
                                long[] s = t.stream().mapToLong(Long::longValue).sorted().toArray();
                                System.out.printf(
                                        "  %-30s %8.3f%n", stage, s[s.length / 2] / 1e6);
                            });
        }
    }

    static void add(Map<String, List<Long>> times, String stage, int k, int n, long nanos) {
        times.computeIfAbsent(stage, s -> new ArrayList<>()).add(nanos);
    }

    static void profile(
            FusionPredictor predictor,
            FusionModel model,
            ModelDirectory dir,
            Path path,
            List<Map<Modality, byte[]>> inputs,
            Map<String, List<Long>> times,
            NDManager manager)
            throws Exception {
        int n = inputs.size();
        FeatureExtractor extractor =
                FeatureExtractor.of(dir.tokenizer(path), dir.features());
        AudioLoader audioLoader = new AudioLoader(dir.features().audioLoad());
        LogMelExtractor logMel = new LogMelExtractor(dir.features().logMel());
        Collator collator = Collator.of(dir.schema(), extractor);
        List<Modality> reads = predictor.modalities();
        int base = 0;
        for (int k = 0; k < n; k++) {
            Map<Modality, byte[]> in = inputs.get(k);
            int at = base + k;
            long t = cpu();
            predictor.predict(in);
            add(times, "predict (all)", at, n, cpu() - t);
            if (reads.contains(Modality.IMAGE) && in.containsKey(Modality.IMAGE)) {
                t = cpu();
                extractor.extract(null, in.get(Modality.IMAGE), null);
                add(times, "image features (all)", at, n, cpu() - t);
            }
            if (reads.contains(Modality.AUDIO) && in.containsKey(Modality.AUDIO)) {
                t = cpu();
                Waveform w = audioLoader.load(in.get(Modality.AUDIO), "audio");
                add(times, "audio decode+resample", at, n, cpu() - t);
                t = cpu();
                logMel.extract(w);
                add(times, "audio log-mel", at, n, cpu() - t);
            }
            if (reads.contains(Modality.TEXT) && in.containsKey(Modality.TEXT)) {
                t = cpu();
                extractor.extract(
                        new String(in.get(Modality.TEXT), StandardCharsets.UTF_8), null, null);
                add(times, "text tokenize", at, n, cpu() - t);
            }
            t = cpu();
            SampleFeatures f = predictor.features(in);
            add(times, "features (all)", at, n, cpu() - t);
            NDManager call = manager.newSubManager();
            try {
                t = cpu();
                Map<Modality, String> given = new TreeMap<>();
                f.present().forEach(m -> given.put(m, m.name()));
                var batch =
                        collator.collate(
                                List.of(
                                        new Sample(
                                                0,
                                                new ManifestEntry(
                                                        Path.of("r"),
                                                        1,
                                                        "r",
                                                        given,
                                                        Map.of(),
                                                        Split.TEST))),
                                List.of(f));
                Map<Modality, NDList> byModality = new TreeMap<>();
                for (Modality m : reads) {
                    byModality.put(m, batch.input(m, call));
                }
                add(times, "collate + to NDArray", at, n, cpu() - t);
                ParameterStore store = new ParameterStore(call, false);
                for (Modality m : reads) {
                    t = cpu();
                    NDList out = model.encoder(m).forward(store, byModality.get(m), false);
                    out.get(0).toFloatArray();
                    add(times, "encoder " + m, at, n, cpu() - t);
                }
                NDList encoded = new NDList();
                for (Modality m : reads) {
                    encoded.addAll(model.encoder(m).forward(store, byModality.get(m), false));
                }
                encoded.get(0).toFloatArray();
                t = cpu();
                model.fusion().forward(store, encoded, false).get(0).toFloatArray();
                add(times, "fusion", at, n, cpu() - t);
                boolean trace = TRACE != null && k == 0 && !times.isEmpty();
                if (trace) {
                    ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                }
                NDManager own = call.newSubManager();
                t = cpu();
                model.predict(new ParameterStore(own, false), byModality, false)
                        .values()
                        .forEach(v -> v.toFloatArray());
                add(times, "model (encoders+fusion+heads)", at, n, cpu() - t);
                t = cpu();
                own.close();
                add(times, "freeing the model's arrays", at, n, cpu() - t);
                if (trace) {
                    ai.djl.pytorch.jni.JniUtils.stopProfile(TRACE + "-" + path.getParent().getFileName() + ".json");
                }
            } finally {
                call.close();
            }
            t = cpu();
            predictor.predict(List.of(f));
            add(times, "predict(features)", at, n, cpu() - t);
        }
    }

}
