package dev.braid.apps;

import dev.braid.fusion.data.Split;
import dev.braid.spark.ManifestPrediction;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid spark-predict --master local[*] --model DIR --data DIR --out FILE.parquet}. Spark
 * types stay in {@code braid-spark}: this class loads without Spark on the class path, and says
 * what to do if it is missing.
 */
@Command(
        name = "spark-predict",
        mixinStandardHelpOptions = true,
        description = {
            "Predict every row of a dataset on Apache Spark and write the rows with each head's"
                    + " label, probability and all probabilities, and an error column naming the"
                    + " modality and the reason where an input does not decode.",
            "Needs Spark on the class path: java -jar apps/target/braid.jar finds it in"
                    + " apps/target/spark-lib/ (the build copies it there)."
        })
final class SparkPredictCommand implements Callable<Integer> {

    @Option(
            names = "--master",
            defaultValue = "local[*]",
            description = "Spark's master URL (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(
            names = "--model",
            required = true,
            description = "A model directory written by braid train, readable by every executor.")
    Path model;

    @Option(
            names = "--data",
            required = true,
            description =
                    "A dataset: a folder with manifest.jsonl, a CSV/TSV table, or a folder per class.")
    Path data;

    @Option(
            names = "--split",
            description = "Only this split: TRAIN, VAL or TEST (default: every row).")
    Split split;

    @Option(
            names = "--out",
            required = true,
            description =
                    "FILE.parquet (Spark's folder of part files) or FILE.jsonl (one file, one row a"
                            + " line).")
    Path out;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--partitions",
            defaultValue = "8",
            description = "Partitions the rows are spread over (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException(
                    "--batch-size ("
                            + batchSize
                            + ") and --partitions ("
                            + partitions
                            + ") must be positive");
        }
        try {
            Class.forName("org.apache.spark.sql.SparkSession");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    "Apache Spark is not on the class path: build with mvn package (it copies"
                            + " Spark to apps/target/spark-lib/), or run under spark-submit");
        }
        InputFiles.directory("--model", model);
        InputFiles.dataset("--data", data);
        System.out.printf("Predicting %s with %s on %s -> %s%n", data, model, master, out);
        ManifestPrediction.Summary summary =
                ManifestPrediction.run(
                        master, model, data, split, out, batchSize, partitions, System.out);
        System.out.printf(
                "%d rows (%d with an input that did not decode) in %.1f s: %.1f rows/s -> %s%n",
                summary.rows(), summary.errors(), summary.seconds(), summary.rowsPerSecond(), out);
        return 0;
    }
}
