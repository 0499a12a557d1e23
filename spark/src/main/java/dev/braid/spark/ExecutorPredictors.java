package dev.braid.spark;

import dev.braid.fusion.predict.FusionPredictor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The predictors of this JVM, one per model directory, loaded on first use and kept until the JVM
 * ends. A transformer's partition function is deserialised once per task, so a field of its own
 * would load the model once per partition; this makes it once per executor. A predictor is safe for
 * the executor's task threads to share.
 */
final class ExecutorPredictors {

    private static final Map<Path, FusionPredictor> LOADED = new ConcurrentHashMap<>();

    private ExecutorPredictors() {}

    /**
     * The predictor of the model in {@code dir}, loading it the first time.
     *
     * @throws UncheckedIOException naming the file if the model directory is incomplete
     */
    static FusionPredictor of(String dir) {
        return LOADED.computeIfAbsent(
                Path.of(dir).toAbsolutePath().normalize(),
                path -> {
                    try {
                        return FusionPredictor.load(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
