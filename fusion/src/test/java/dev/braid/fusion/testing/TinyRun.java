package dev.braid.fusion.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.signal.AudioLoadConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.encoder.ImageEncoderConfig;
import dev.braid.vision.image.ImagePreprocessing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a small training test needs on a {@link SyntheticTriModal} dataset: the dataset, a
 * tokenizer trained on its texts, feature settings for 16×16 gray images and 16-mel audio, the task
 * schema, loaders and a tiny model configuration.
 */
public final class TinyRun {

    public final Dataset dataset;
    public final Tokenizer tokenizer;
    public final FeatureSettings settings;
    public final TaskSchema schema;

    private TinyRun(
            Dataset dataset, Tokenizer tokenizer, FeatureSettings settings, TaskSchema schema) {
        this.dataset = dataset;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.schema = schema;
    }

    /** Writes a synthetic dataset into {@code dir} and prepares to train on it. */
    public static TinyRun create(Path dir, int train, int val, int test) throws IOException {
        return create(dir, train, val, test, false);
    }

    /**
     * As {@link #create(Path, int, int, int)}, optionally with the image bit equal to the text bit.
     */
    public static TinyRun create(Path dir, int train, int val, int test, boolean imageFollowsText)
            throws IOException {
        SyntheticTriModal.write(dir, train, val, test, 7, imageFollowsText);
        Dataset dataset = Manifest.read(dir);
        List<String> texts = new ArrayList<>();
        for (ManifestEntry e : dataset.entries(Split.TRAIN)) {
            texts.add(e.inputs().get(Modality.TEXT));
        }
        Tokenizer tokenizer = new BpeTrainer(new BpeTrainer.Config(300, 2)).train(texts);
        FeatureSettings settings =
                new FeatureSettings(
                        16,
                        ImagePreprocessing.grayscale(16),
                        AudioLoadConfig.defaults().withMaxSeconds(1),
                        LogMelConfig.builder().nMels(16).build(),
                        40);
        return new TinyRun(dataset, tokenizer, settings, TaskSchema.infer(List.of(dataset)));
    }

    public BatchLoader loader(Split split, int batchSize, long seed) {
        Order order = split == Split.TRAIN ? Order.SHUFFLED : Order.SEQUENTIAL;
        return new BatchLoader(
                SampleSource.of(dataset.entries(split), order),
                FeatureExtractor.of(tokenizer, settings),
                schema,
                new BatchLoaderConfig(batchSize, 1, 2, seed));
    }

    public ModelConfig modelConfig(FusionKind kind) {
        HeadSpec head = schema.head("label");
        return new ModelConfig(
                TextEncoderConfig.tiny(tokenizer.vocabularySize()).toBuilder()
                        .maxLength(16)
                        .build(),
                ImageEncoderConfig.tiny(),
                AudioEncoderConfig.tiny(),
                new FusionConfig(kind, 32, 2, 1, 8, 0f),
                List.of(head));
    }

    /** A model with parameters initialised from {@code seed}. */
    public static FusionModel model(ModelConfig config, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        FusionModel model = new FusionModel(config);
        List<Shape> shapes = new ArrayList<>();
        for (Modality m : config.modalities()) {
            if (m.equals(Modality.TEXT)) {
                shapes.add(new Shape(2, 16));
                shapes.add(new Shape(2, 16));
            } else if (m.equals(Modality.IMAGE)) {
                shapes.add(new Shape(2, 1, 16, 16));
                shapes.add(new Shape(2));
            } else {
                shapes.add(new Shape(2, 16, 40));
                shapes.add(new Shape(2));
            }
        }
        model.initialize(manager, DataType.FLOAT32, shapes.toArray(new Shape[0]));
        return model;
    }
}
