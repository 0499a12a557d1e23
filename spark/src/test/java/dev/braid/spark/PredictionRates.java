package dev.braid.spark;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.layout.DatasetLayout;
import dev.braid.fusion.predict.FusionPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The README's prediction rates, not a test: rows/s of {@link PredictionTransformer} on local[1]
 * and local[2] against the single-process batch predictor, on the same rows (a dataset's split,
 * test unless given; files read in every run), runs alternating, each Spark session warmed up (its
 * code generation) on 64 rows first. Run with the test class path and Spark's flags: {@code java
 * ... dev.braid.spark.PredictionRates MODEL DATA ROUNDS}.
 */
public final class PredictionRates {

    private static final int BATCH = 32;

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path data = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Split split = args.length > 3 ? Split.valueOf(args[3]) : Split.TEST;
        List<ManifestEntry> rows = DatasetLayout.read(data).entries(split);
        for (int round = 0; round <= rounds; round++) {
            String label = round == 0 ? "warm-up" : "round " + round;
            double one = spark("local[1]", model, rows);
            double two = spark("local[2]", model, rows);
            double local = local(model, rows);
            System.out.printf(
                    "%s, %d rows: local[1] %.1f rows/s, local[2] %.1f rows/s, one process %.1f"
                            + " rows/s; local[2]/local[1] %.2f, local[1]/one process %.2f%n",
                    label, rows.size(), one, two, local, two / one, one / local);
        }
    }

    private static double spark(String master, Path model, List<ManifestEntry> entries) {
        SparkSession spark =
                SparkSession.builder()
                        .master(master)
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            for (ManifestEntry e : entries) {
                rows.add(
                        RowFactory.create(
                                e.id(),
                                e.inputs().get(Modality.IMAGE),
                                e.inputs().get(Modality.AUDIO)));
            }
            StructType schema =
                    new StructType()
                            .add("id", DataTypes.StringType)
                            .add("image", DataTypes.StringType)
                            .add("audio", DataTypes.StringType);
            Dataset<Row> frame = spark.createDataFrame(rows, schema).repartition(8).cache();
            frame.count();
            PredictionTransformer predict = new PredictionTransformer();
            predict.setModelDir(model.toString()).setBatchSize(BATCH);
            predict.transform(frame.limit(64)).count(); // this session's code generation
            long started = System.nanoTime();
            long count = predict.transform(frame).count();
            return count / ((System.nanoTime() - started) / 1e9);
        } finally {
            spark.stop();
        }
    }

    private static double local(Path model, List<ManifestEntry> entries) throws Exception {
        FusionPredictor predictor = ExecutorPredictors.of(model.toString());
        long started = System.nanoTime();
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<SampleFeatures> batch = new ArrayList<>();
            for (ManifestEntry e : entries.subList(from, Math.min(entries.size(), from + BATCH))) {
                Map<Modality, byte[]> inputs = new TreeMap<>();
                inputs.put(
                        Modality.IMAGE,
                        Files.readAllBytes(Path.of(e.inputs().get(Modality.IMAGE))));
                inputs.put(
                        Modality.AUDIO,
                        Files.readAllBytes(Path.of(e.inputs().get(Modality.AUDIO))));
                batch.add(predictor.features(inputs));
            }
            predictor.predict(batch);
        }
        return entries.size() / ((System.nanoTime() - started) / 1e9);
    }
}
