package dev.braid.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: {@code local[2]} on loopback, no UI, few shuffle partitions. */
final class LocalSpark {

    private LocalSpark() {}

    static SparkSession start(String name) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
