package dev.braid.spark;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.signal.AudioLoadConfig;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.TrainConfig;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import dev.braid.vision.encoder.ImageEncoderConfig;
import dev.braid.vision.image.ImagePreprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of the shipped AV-MNIST digits ({@code data/avmnist}) copied into a dataset folder of their
 * own (the manifest and the files its rows name), and a tiny image+audio model for them: what the
 * Spark tests train and predict with.
 */
final class AvmnistSubset {

    static final Path SHIPPED = Path.of("..", "data", "avmnist").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    static final FeatureSettings FEATURES =
            new FeatureSettings(
                    16,
                    ImagePreprocessing.grayscale(16),
                    AudioLoadConfig.defaults().withMaxSeconds(1),
                    LogMelConfig.builder().nMels(16).build(),
                    40);

    private AvmnistSubset() {}

    /** The shipped manifest's lines of {@code split}, the first {@code count}. */
    static List<String> lines(String split, int count) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(SHIPPED.resolve(Manifest.FILE_NAME))) {
            if (out.size() < count && JSON.readTree(line).path("split").asText().equals(split)) {
                out.add(line);
            }
        }
        return out;
    }

    /** Writes a dataset of {@code lines} (manifest lines of the shipped set) into {@code dir}. */
    static Dataset write(Path dir, List<String> lines) throws IOException {
        for (String line : lines) {
            for (String field : List.of("image", "audio")) {
                String file = JSON.readTree(line).path(field).asText();
                Path target = dir.resolve(file);
                if (!Files.exists(target)) { // copied: a manifest refuses links out of its folder
                    Files.createDirectories(target.getParent());
                    Files.copy(SHIPPED.resolve(file), target);
                }
            }
        }
        Files.write(dir.resolve(Manifest.FILE_NAME), lines);
        return Manifest.read(dir);
    }

    static ModelConfig modelConfig(TaskSchema schema) {
        return new ModelConfig(
                null,
                ImageEncoderConfig.tiny(),
                AudioEncoderConfig.tiny(),
                new FusionConfig(FusionKind.GATED, 32, 2, 1, 8, 0f),
                List.of(schema.head("label")));
    }

    static FeatureExtractor extractor() {
        return FeatureExtractor.of(ByteLevelBpeTokenizer.bytesOnly(), FEATURES);
    }

    static BatchLoader loader(
            Dataset data, Split split, TaskSchema schema, int batch, Order order) {
        return new BatchLoader(
                SampleSource.of(data.entries(split), order),
                extractor(),
                schema,
                new BatchLoaderConfig(batch, 1, 2, 42));
    }

    /** A model with weights drawn from {@code seed}. */
    static FusionModel model(ModelConfig config, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        FusionModel model = new FusionModel(config);
        model.initialize(manager, DataType.FLOAT32, ModelDirectory.inputShapes(config, FEATURES));
        return model;
    }

    /**
     * Trains a model on {@code data} for {@code steps} steps and saves it into {@code modelDir}.
     */
    static void trainAndSave(Dataset data, Path runDir, Path modelDir, int steps)
            throws IOException {
        TaskSchema schema = TaskSchema.infer(List.of(data));
        TrainConfig config = TrainConfig.builder().epochs(1).batchSize(16).maxSteps(steps).build();
        try (NDManager manager = NDManager.newBaseManager();
                BatchLoader train = loader(data, Split.TRAIN, schema, 16, Order.SHUFFLED);
                BatchLoader val = loader(data, Split.VAL, schema, 16, Order.SEQUENTIAL)) {
            FusionModel model = model(modelConfig(schema), manager, 7);
            new FusionTrainer(config, 1).fit(model, manager, train, val, schema, runDir, List.of());
            new ModelDirectory(
                            model.config(),
                            schema,
                            FEATURES,
                            JsonNodeFactory.instance.objectNode().put("seed", 42))
                    .save(modelDir, model, ByteLevelBpeTokenizer.bytesOnly());
        }
    }
}
