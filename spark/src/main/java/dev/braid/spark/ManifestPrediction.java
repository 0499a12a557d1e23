package dev.braid.spark;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.layout.DatasetLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Predicts every row of a dataset's manifest on Spark and writes the rows with their predictions to
 * Parquet (Spark's folder of part files) or JSONL (one file, written by the driver): what {@code
 * braid spark-predict} runs. Takes and returns only plain types, so a caller need not have Spark on
 * its compile class path.
 */
public final class ManifestPrediction {

    private ManifestPrediction() {}

    /**
     * What a run did.
     *
     * @param rows rows predicted
     * @param errors rows whose input did not decode (their error column says why)
     * @param seconds the prediction: from the first task to the last, the model's loading on each
     *     executor included, Spark's start-up and the writing left out
     */
    public record Summary(long rows, long errors, double seconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * Predicts the rows of {@code data}'s manifest (of {@code split}, or all if null) with the
     * model in {@code model} and writes them to {@code out} ({@code .parquet} or {@code .jsonl}).
     *
     * @param partitions how many partitions the rows are spread over (the progress counts them)
     * @param progress where a progress line goes when the count of finished partitions changes
     *     (looked at every second)
     * @throws IllegalArgumentException if {@code out} ends neither in .parquet nor .jsonl
     */
    public static Summary run(
            String master,
            Path model,
            Path data,
            Split split,
            Path out,
            int batchSize,
            int partitions,
            PrintStream progress)
            throws IOException {
        String name = out.getFileName().toString();
        if (!name.endsWith(".parquet") && !name.endsWith(".jsonl")) {
            throw new IllegalArgumentException(
                    "--out " + out + ": name a .parquet or a .jsonl file");
        }
        List<Row> rows = new ArrayList<>();
        for (ManifestEntry e : DatasetLayout.read(data).entries()) {
            if (split == null || e.split() == split) {
                rows.add(
                        RowFactory.create(
                                e.id(),
                                e.split().name().toLowerCase(java.util.Locale.ROOT),
                                e.inputs().get(Modality.TEXT),
                                e.inputs().get(Modality.IMAGE),
                                e.inputs().get(Modality.AUDIO)));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(
                    data + ": no rows" + (split == null ? "" : " in split " + split));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType)
                        .add("split", DataTypes.StringType)
                        .add("text", DataTypes.StringType)
                        .add("image", DataTypes.StringType)
                        .add("audio", DataTypes.StringType);
        SparkSession spark =
                SparkSession.builder()
                        .master(master)
                        .appName("braid spark-predict")
                        .config("spark.ui.enabled", "false")
                        .getOrCreate();
        try {
            PredictionTransformer predict = new PredictionTransformer();
            predict.setModelDir(model.toAbsolutePath().toString()).setBatchSize(batchSize);
            Dataset<Row> input =
                    spark.createDataFrame(rows, schema)
                            .repartition(Math.min(partitions, rows.size()));
            Dataset<Row> scored = predict.transform(input).persist(StorageLevel.MEMORY_AND_DISK());
            long started = System.nanoTime();
            long count;
            try (Progress shown = Progress.start(spark, progress)) {
                count = scored.count();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long errors =
                    scored.filter(
                                    functions
                                            .col(predict.getOrDefault(predict.errorCol()))
                                            .isNotNull())
                            .count();
            if (name.endsWith(".parquet")) {
                scored.write().mode(SaveMode.Overwrite).parquet(out.toString());
            } else {
                writeJsonl(scored, out);
            }
            return new Summary(count, errors, seconds);
        } finally {
            spark.stop();
        }
    }

    private static void writeJsonl(Dataset<Row> scored, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, out.getFileName().toString(), ".partial");
        try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            Iterator<String> lines = scored.toJSON().toLocalIterator();
            while (lines.hasNext()) {
                writer.write(lines.next());
                writer.newLine();
            }
        }
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A thread printing how many of the running stage's partitions are done, as they finish. */
    private static final class Progress implements AutoCloseable {
        private final Thread thread;

        private Progress(Thread thread) {
            this.thread = thread;
        }

        static Progress start(SparkSession spark, PrintStream out) {
            long started = System.nanoTime();
            Thread thread =
                    new Thread(
                            () -> {
                                int[] last = {-1, -1};
                                while (!Thread.currentThread().isInterrupted()) {
                                    int[] now = partitions(spark);
                                    if (now[1] > 0 && (now[0] != last[0] || now[1] != last[1])) {
                                        out.printf(
                                                "predicting: %d/%d partitions done, %.0f s%n",
                                                now[0],
                                                now[1],
                                                (System.nanoTime() - started) / 1e9);
                                        last = now;
                                    }
                                    try {
                                        Thread.sleep(1000);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "braid-spark-progress");
            thread.setDaemon(true);
            thread.start();
            return new Progress(thread);
        }

        /** The running stages' finished and all partitions. */
        private static int[] partitions(SparkSession spark) {
            int done = 0;
            int total = 0;
            for (int id : spark.sparkContext().statusTracker().getActiveStageIds()) {
                SparkStageInfo stage = spark.sparkContext().statusTracker().getStageInfo(id).get();
                done += stage.numCompletedTasks();
                total += stage.numTasks();
            }
            return new int[] {done, total};
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
