package dev.braid.apps.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.apps.logging.Logging;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.audio.pretrain.SavedAudioEncoder;
import dev.braid.audio.signal.AudioLoadConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugins;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.DatasetMix;
import dev.braid.fusion.data.FeatureCache;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.data.inspect.DatasetInspector;
import dev.braid.fusion.data.inspect.FeatureChoice;
import dev.braid.fusion.data.inspect.FittedFeatures;
import dev.braid.fusion.data.layout.DatasetLayout;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHeadConfig;
import dev.braid.fusion.model.ReplyMemory;
import dev.braid.fusion.model.TextAdapter;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluation;
import dev.braid.fusion.train.Evaluator;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.TrainingListener;
import dev.braid.fusion.train.TrainingLoss;
import dev.braid.onnx.OnnxTextFeatures;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.pretrain.SavedTextEncoder;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import dev.braid.text.tokenize.HuggingFaceTextTokenizer;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.encoder.ImageEncoderConfig;
import dev.braid.vision.encoder.Nonlinearity;
import dev.braid.vision.image.DecodeOptions;
import dev.braid.vision.image.ImageAugmentation;
import dev.braid.vision.image.ImagePreprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run from a {@link RunConfig}: reads the datasets, trains a tokenizer when the model
 * reads text, builds the model, trains it with {@link FusionTrainer}, evaluates it on the test
 * split and saves the model directory ({@code OUTPUT/model}).
 */
public final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /**
     * What a run leaves behind.
     *
     * @param modelDir the saved model
     * @param validation the best epoch's validation evaluation
     * @param test the final model's test evaluation
     * @param training the trainer's summary
     * @param seconds wall time
     */
    public record Result(
            Path modelDir,
            Evaluation validation,
            Evaluation test,
            FusionTrainer.Result training,
            double seconds) {}

    /**
     * A model to train from where it stands instead of one the configuration builds: a pruned model
     * fine-tuned, a student distilled from its teacher.
     *
     * @param model its shape
     * @param tokenizer the tokenizer its text inputs are read with (its parent's)
     * @param weights fills its initialised parameters (a pruned model's weights), or leaves them as
     *     the seed initialised them (a student)
     * @param loss what training minimises ({@link TrainingLoss#HEADS}, or a teacher's targets)
     */
    public record Start(
            ModelConfig model, Tokenizer tokenizer, Weights weights, TrainingLoss loss) {}

    /** How a {@link Start}'s parameters are filled once initialised. */
    public interface Weights {
        /** The seed's initialisation, untouched. */
        Weights INITIALISED = (model, manager) -> {};

        void fill(FusionModel model, NDManager manager) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunConfig config;
    private final Start start;

    private List<Dataset> datasets;
    private RunConfig.FeatureSpec features;
    private List<FeatureChoice> derived;

    public TrainingRun(RunConfig config) {
        this(config, (Start) null);
    }

    /** A run that trains {@code start}'s model rather than building one from the configuration. */
    public TrainingRun(RunConfig config, Start start) {
        this.config = config;
        this.start = start;
    }

    /**
     * A run on {@code datasets}, read already (e.g. labels joined from another file), instead of
     * the configuration's {@code data}.
     */
    public TrainingRun(RunConfig config, List<Dataset> datasets) {
        this(config, (Start) null);
        this.datasets = List.copyOf(datasets);
    }

    /**
     * The datasets of the run, read and validated (a folder with a manifest, a CSV/TSV table, or a
     * folder per class; {@code DatasetLayout}); read once.
     */
    public synchronized List<Dataset> datasets() {
        if (datasets == null) {
            List<Dataset> read = new ArrayList<>();
            for (RunConfig.DataSource source : config.data()) {
                read.add(DatasetLayout.read(Path.of(source.path())));
            }
            datasets = List.copyOf(read);
        }
        return datasets;
    }

    /**
     * The run's feature settings: those the configuration gives, and the ones it leaves out derived
     * from the training split ({@link #derivedFeatures()}).
     */
    public synchronized RunConfig.FeatureSpec features() {
        if (features == null) {
            RunConfig.FeatureSpec given = config.features();
            List<String> leftOut = given.leftOut();
            if (leftOut.isEmpty()) {
                features = given;
                derived = List.of();
            } else {
                List<ManifestEntry> train = new ArrayList<>();
                datasets().forEach(d -> train.addAll(d.entries(Split.TRAIN)));
                int vocabulary = given.vocabularySize() == null ? 0 : given.vocabularySize();
                FittedFeatures fitted =
                        new DatasetInspector(given.imageDecoding()).fit(train, vocabulary);
                features = given.filledFrom(fitted);
                derived =
                        fitted.choices().stream()
                                .filter(c -> leftOut.contains(c.field()) && readsWhatItSets(c))
                                .toList();
            }
        }
        return features;
    }

    /** Whether the model reads the modality {@code choice} is a setting of. */
    private boolean readsWhatItSets(FeatureChoice choice) {
        String field = choice.field();
        Modality modality =
                field.contains("image")
                        ? Modality.IMAGE
                        : field.contains("audio") ? Modality.AUDIO : Modality.TEXT;
        return config.model().modalities().contains(modality);
    }

    /**
     * The feature settings the configuration left out, as derived, and why, for the modalities the
     * model reads; empty if none.
     */
    public List<FeatureChoice> derivedFeatures() {
        features();
        return derived;
    }

    /** How raw inputs become model inputs. */
    public FeatureSettings featureSettings() {
        RunConfig.FeatureSpec f = features();
        ImagePreprocessing image =
                f.imageChannels() == 1
                        ? ImagePreprocessing.grayscale(f.imageSize())
                        : ImagePreprocessing.imagenet(f.imageSize());
        return new FeatureSettings(
                f.textMaxLength(),
                image,
                AudioLoadConfig.defaults().withMaxSeconds(f.audioMaxSeconds()),
                LogMelConfig.builder().nMels(f.mels()).build(),
                f.audioMaxFrames());
    }

    /** The model configuration for this run's modalities, schema and tokenizer. */
    public ModelConfig modelConfig(TaskSchema schema, Tokenizer tokenizer) {
        RunConfig.ModelSpec m = config.model();
        RunConfig.FeatureSpec f = features();
        int width = m.width();
        TextEncoderConfig text =
                m.modalities().contains(Modality.TEXT)
                        ? TextEncoderConfig.small(tokenizer.vocabularySize()).toBuilder()
                                .maxLength(f.textMaxLength())
                                .width(width)
                                .feedForwardWidth(2 * width)
                                .build()
                        : null;
        ImageEncoderConfig image =
                m.modalities().contains(Modality.IMAGE)
                        ? imageEncoder(m.image(), f.imageChannels(), width)
                        : null;
        AudioEncoderConfig audio =
                m.modalities().contains(Modality.AUDIO)
                        ? audioEncoder(m.audio(), f.mels(), width)
                        : null;
        List<HeadSpec> heads = List.copyOf(schema.heads().values());
        List<ModelConfig.PluginInput> plugins = new ArrayList<>();
        for (Modality modality : m.modalities()) {
            if (!modality.builtIn()) {
                plugins.add(ModelConfig.PluginInput.of(ModalityPlugins.of(modality), width));
            }
        }
        return new ModelConfig(
                text,
                image,
                audio,
                m.fusion(),
                heads,
                plugins,
                null,
                null,
                new TreeMap<>(replyHeads(schema, tokenizer)));
    }

    /**
     * The decoder of each generation head ({@code model.decoder}), its memory every modality the
     * model reads, its length the longest training text's unless {@code model.decoder.maxTokens}
     * says.
     */
    private Map<String, ReplyHeadConfig> replyHeads(TaskSchema schema, Tokenizer tokenizer) {
        RunConfig.DecoderSpec d = config.model().decoder();
        Map<String, ReplyHeadConfig> out = new TreeMap<>();
        for (HeadSpec head : schema.heads().values()) {
            if (!head.generates()) {
                continue;
            }
            int longest = d.maxTokens();
            if (longest == 0) {
                for (String text : texts(head.name())) {
                    longest = Math.max(longest, tokenizer.encode(text).length);
                }
            }
            DecoderConfig decoder =
                    DecoderConfig.gpt2(tokenizer.vocabularySize()).toBuilder()
                            .width(d.width())
                            .heads(d.heads())
                            .layers(d.layers())
                            .feedForwardWidth(2 * d.width())
                            .maxLength(longest + 2) // [CLS], the text, [SEP]
                            .crossAttention(CrossAttention.EVERY_LAYER)
                            .copyFromMemory(d.copy() && d.memory() == ReplyMemory.ENCODER_TOKENS)
                            .build();
            out.put(
                    head.name(),
                    new ReplyHeadConfig(decoder, config.model().modalities(), d.memory()));
        }
        return out;
    }

    /** The texts of the generation head {@code head} on the training rows. */
    private List<String> texts(String head) {
        List<String> texts = new ArrayList<>();
        for (Dataset d : datasets()) {
            for (ManifestEntry e : d.entries(Split.TRAIN)) {
                if (e.labels().get(head) instanceof Label.ClassLabel text) {
                    texts.add(text.name());
                }
            }
        }
        return texts;
    }

    /** The heads the run declares GENERATION. */
    private List<String> generationHeads() {
        return config.model().heads().entrySet().stream()
                .filter(e -> e.getValue().equals(HeadKind.GENERATION))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static ImageEncoderConfig imageEncoder(
            RunConfig.ImageSpec spec, int channels, int width) {
        try {
            return new ImageEncoderConfig(
                    channels,
                    spec.stemChannels(),
                    spec.stemStride(),
                    spec.stages(),
                    spec.blocks(),
                    width,
                    Nonlinearity.RELU,
                    spec.stageBlock());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model.image: " + e.getMessage(), e);
        }
    }

    private static AudioEncoderConfig audioEncoder(RunConfig.AudioSpec spec, int mels, int width) {
        try {
            return new AudioEncoderConfig(
                    mels,
                    spec.channels(),
                    spec.convLayers(),
                    width,
                    spec.temporalBlocks(),
                    spec.temporalKernel(),
                    spec.frontEnd());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model.audio: " + e.getMessage(), e);
        }
    }

    /**
     * Trains, evaluates and saves; progress goes to {@code listeners}, and the libraries' and
     * engines' log messages to {@code OUTPUT/braid.log}.
     */
    public Result run(List<TrainingListener> listeners) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            return run(listeners, manager);
        }
    }

    private Result run(List<TrainingListener> listeners, NDManager manager) throws IOException {
        long started = System.nanoTime();
        List<Dataset> datasets = datasets();
        Path output = Path.of(config.output());
        Files.createDirectories(output);
        try (Logging.FileLog log = Logging.toFile(output.resolve(Logging.RUN_LOG))) {
            return run(datasets, output, listeners, started, manager);
        }
    }

    private Result run(
            List<Dataset> datasets,
            Path output,
            List<TrainingListener> listeners,
            long started,
            NDManager manager)
            throws IOException {
        TaskSchema schema = TaskSchema.infer(datasets, config.model().heads());
        // a run that starts from a given model (compression) takes its text encoder and tokenizer
        SavedTextEncoder pretrained = start == null ? pretrainedText(manager) : null;
        Path torchScript = start == null ? torchScriptText() : null;
        try (TextFeatures textModel = start == null && torchScript == null ? textEncoder() : null) {
            Tokenizer tokenizer;
            if (start != null) {
                tokenizer = start.tokenizer();
            } else if (pretrained != null) {
                tokenizer = pretrained.tokenizer();
            } else if (torchScript != null) {
                tokenizer =
                        HuggingFaceTextTokenizer.load(torchScript.resolveSibling("tokenizer.json"));
            } else if (textModel != null && generationHeads().isEmpty()) {
                tokenizer = ByteLevelBpeTokenizer.bytesOnly();
            } else {
                tokenizer = tokenizer(datasets);
            }
            return run(
                    datasets,
                    output,
                    listeners,
                    started,
                    manager,
                    schema,
                    pretrained,
                    textModel,
                    tokenizer);
        }
    }

    private Result run(
            List<Dataset> datasets,
            Path output,
            List<TrainingListener> listeners,
            long started,
            NDManager manager,
            TaskSchema schema,
            SavedTextEncoder pretrained,
            TextFeatures textModel,
            Tokenizer tokenizer)
            throws IOException {
        FeatureSettings settings = featureSettings();
        // every epoch after the first reads its images and clips from memory (a quarter of the
        // heap at most): reading, hashing and parsing them from the disk cache again each epoch
        // kept a loader thread on a core the micro-batches needed
        FeatureCache.Held cache =
                FeatureCache.heldInMemory(
                        features().cache()
                                ? FeatureCache.onDisk(output.resolveSibling(".feature-cache"))
                                : FeatureCache.none(),
                        Runtime.getRuntime().maxMemory() / 4);
        DecodeOptions decoding = features().imageDecoding();
        FeatureExtractor trainFeatures =
                new FeatureExtractor(
                                tokenizer,
                                settings,
                                config.augment().image(),
                                config.augment().audio(),
                                cache)
                        .withDecoding(decoding);
        FeatureExtractor evalFeatures =
                new FeatureExtractor(tokenizer, settings, ImageAugmentation.none(), cache)
                        .withDecoding(decoding);
        ModelConfig modelConfig = start != null ? start.model() : modelConfig(schema, tokenizer);
        if (textModel != null) {
            trainFeatures = trainFeatures.withTextFeatures(textModel);
            evalFeatures = evalFeatures.withTextFeatures(textModel);
            modelConfig = withTextAdapter(modelConfig, textModel);
        }
        Path torchScript = start == null ? torchScriptText() : null;
        if (torchScript != null) {
            modelConfig =
                    new ModelConfig(
                            null,
                            modelConfig.image(),
                            modelConfig.audio(),
                            modelConfig.fusion(),
                            modelConfig.heads(),
                            modelConfig.plugins(),
                            null,
                            ModelConfig.TorchScriptText.of(torchScript, modelConfig.text().width()),
                            modelConfig.replyHeads());
        }
        Map<Modality, Block> given = new LinkedHashMap<>();
        if (pretrained != null) {
            modelConfig =
                    new ModelConfig(
                            pretrained.encoder().config(),
                            modelConfig.image(),
                            modelConfig.audio(),
                            modelConfig.fusion(),
                            modelConfig.heads(),
                            modelConfig.plugins(),
                            null,
                            null,
                            modelConfig.replyHeads());
            given.put(Modality.TEXT, pretrained.encoder());
        }
        SavedAudioEncoder speech = pretrainedAudio(settings, manager);
        if (speech != null) {
            modelConfig =
                    new ModelConfig(
                            modelConfig.text(),
                            modelConfig.image(),
                            speech.encoder().config(),
                            modelConfig.fusion(),
                            modelConfig.heads(),
                            modelConfig.plugins(),
                            modelConfig.pretrainedText(),
                            modelConfig.torchScriptText(),
                            modelConfig.replyHeads());
            given.put(Modality.AUDIO, speech.encoder());
        }
        long seed = config.training().seed();
        BatchLoaderConfig trainLoading = BatchLoaderConfig.of(config.training().batchSize(), seed);
        BatchLoaderConfig evalLoading = BatchLoaderConfig.of(64, seed);
        try (BatchLoader train =
                        new BatchLoader(
                                trainSource(datasets), trainFeatures, schema, trainLoading);
                BatchLoader validation =
                        new BatchLoader(
                                source(datasets, Split.VAL), evalFeatures, schema, evalLoading);
                BatchLoader test =
                        new BatchLoader(
                                source(datasets, Split.TEST), evalFeatures, schema, evalLoading)) {
            keepFeatures(train, cache);
            ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
            FusionModel model = new FusionModel(modelConfig, given);
            model.initialize(
                    manager, DataType.FLOAT32, ModelDirectory.inputShapes(modelConfig, settings));
            if (start != null) {
                start.weights().fill(model, manager);
            }
            FusionTrainer.Result trained =
                    new FusionTrainer(config.training())
                            .withLoss(start != null ? start.loss() : TrainingLoss.HEADS)
                            .fit(model, manager, train, validation, schema, output, listeners);
            Evaluation testResult =
                    model.replyHeads().isEmpty()
                            ? Evaluator.evaluate(model, manager, test.epoch(0, 0), schema, Set.of())
                            : Evaluator.evaluateWithTexts(
                                    model, manager, test.epoch(0, 0), schema, Set.of(), tokenizer);
            Path modelDir = output.resolve("model");
            new ModelDirectory(
                            modelConfig,
                            schema,
                            settings,
                            provenance(datasets, trained, testResult))
                    .save(modelDir, model, tokenizer);
            return new Result(
                    modelDir,
                    trained.best(),
                    testResult,
                    trained,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Reads the training samples' images and clips into {@code cache} before the first epoch, as
     * far as it has room: the data preparation the epochs then skip, and a file that cannot be read
     * fails the run here, naming its line, before any training.
     */
    private static void keepFeatures(BatchLoader train, FeatureCache.Held cache) {
        long started = System.nanoTime();
        int total = train.epochSize();
        long[] told = {started};
        int read =
                train.keepFeatures(
                        cache::full,
                        done -> {
                            long now = System.nanoTime();
                            if (now - told[0] > 2_000_000_000L && done < total) {
                                told[0] = now; // a line every 2 s on a long read, none on a short
                                LOG.info(
                                        "reading features: {} of {} training samples", done, total);
                            }
                        });
        LOG.info(
                "features of {} training samples read in {} s, {} MiB held in memory{}",
                read,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9),
                cache.bytesHeld() >> 20,
                cache.full() ? " (full: the rest is read each epoch)" : "");
    }

    /**
     * The TorchScript file {@code model.textEncoder} names (a {@code .pt} file, its {@code
     * tokenizer.json} beside it), or null.
     *
     * @throws IllegalArgumentException naming the field if the module is to be trained with more
     *     than two micro-batches a step: their gradients would not add up to the same bits
     */
    private Path torchScriptText() {
        String name = config.model().textEncoder();
        if (name == null || !name.endsWith(".pt")) {
            return null;
        }
        if (!config.training().frozenEncoders().contains(Modality.TEXT)
                && config.training().accumulation() > 2) {
            throw new IllegalArgumentException(
                    "training.accumulation ("
                            + config.training().accumulation()
                            + ") must be at most 2 to fine-tune the TorchScript text encoder"
                            + " (its micro-batches add their gradients into the module in the"
                            + " order they finish), or freeze it: training.frozenEncoders: [TEXT]");
        }
        return Path.of(name);
    }

    /**
     * The frozen text model {@code model.textEncoder} names, or null.
     *
     * @throws IllegalArgumentException naming {@code model.textEncoder} if it does not fit
     */
    private TextFeatures textEncoder() throws IOException {
        String name = config.model().textEncoder();
        if (name == null) {
            return null;
        }
        if (!config.model().modalities().contains(Modality.TEXT)
                || config.model().pretrainedText() != null) {
            throw new IllegalArgumentException(
                    "model.textEncoder is set but model.modalities has no TEXT, or"
                            + " model.pretrainedText is set too (a model has one text encoder)");
        }
        try {
            return OnnxTextFeatures.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model.textEncoder: " + e.getMessage(), e);
        }
    }

    /** {@code config} with its text read by {@code textModel} and a {@link TextAdapter}. */
    private static ModelConfig withTextAdapter(ModelConfig config, TextFeatures textModel) {
        int width = config.text().width();
        return new ModelConfig(
                null,
                config.image(),
                config.audio(),
                config.fusion(),
                config.heads(),
                config.plugins(),
                new ModelConfig.PretrainedText(textModel.spec(), textModel.width(), width),
                null,
                config.replyHeads());
    }

    /**
     * The pre-trained text encoder the configuration names, loaded into {@code manager}, or null.
     *
     * @throws IllegalArgumentException naming {@code model.pretrainedText} if it does not fit
     */
    private SavedTextEncoder pretrainedText(NDManager manager) throws IOException {
        String dir = config.model().pretrainedText();
        if (dir == null) {
            return null;
        }
        if (!config.model().modalities().contains(Modality.TEXT)) {
            throw new IllegalArgumentException(
                    "model.pretrainedText is set but model.modalities has no TEXT");
        }
        SavedTextEncoder saved = SavedTextEncoder.load(Path.of(dir), manager);
        TextEncoderConfig text = saved.encoder().config();
        if (text.width() != config.model().width()) {
            throw new IllegalArgumentException(
                    "model.pretrainedText: the encoder in "
                            + dir
                            + " has width "
                            + text.width()
                            + " but model.width is "
                            + config.model().width()
                            + "; set model.width to "
                            + text.width());
        }
        if (features().textMaxLength() > text.maxLength()) {
            throw new IllegalArgumentException(
                    "features.textMaxLength ("
                            + features().textMaxLength()
                            + ") is longer than the pre-trained encoder in "
                            + dir
                            + " reads ("
                            + text.maxLength()
                            + "); set it to at most "
                            + text.maxLength());
        }
        return saved;
    }

    /**
     * The pre-trained audio encoder the configuration names, loaded into {@code manager}, or null.
     *
     * @throws IllegalArgumentException naming {@code model.pretrainedAudio} and the file if it is
     *     missing, unreadable or does not fit this run's width and features
     */
    private SavedAudioEncoder pretrainedAudio(FeatureSettings settings, NDManager manager) {
        String dir = config.model().pretrainedAudio();
        if (dir == null) {
            return null;
        }
        if (!config.model().modalities().contains(Modality.AUDIO)) {
            throw new IllegalArgumentException(
                    "model.pretrainedAudio is set but model.modalities has no AUDIO");
        }
        SavedAudioEncoder saved;
        try {
            saved = SavedAudioEncoder.load(Path.of(dir), manager);
        } catch (IOException e) {
            throw new IllegalArgumentException("model.pretrainedAudio: " + e.getMessage(), e);
        }
        AudioEncoderConfig audio = saved.encoder().config();
        if (audio.width() != config.model().width()) {
            throw new IllegalArgumentException(
                    "model.pretrainedAudio: the encoder in "
                            + dir
                            + " has width "
                            + audio.width()
                            + " but model.width is "
                            + config.model().width()
                            + "; set model.width to "
                            + audio.width());
        }
        if (!saved.logMel().equals(settings.logMel())) {
            throw new IllegalArgumentException(
                    "model.pretrainedAudio: the encoder in "
                            + dir
                            + " was pre-trained on log-mels "
                            + saved.logMel()
                            + " but this run computes "
                            + settings.logMel()
                            + "; set features.mels to "
                            + saved.logMel().nMels()
                            + " (the other settings are Braid's defaults)");
        }
        return saved;
    }

    private Tokenizer tokenizer(List<Dataset> datasets) {
        if (!config.model().modalities().contains(Modality.TEXT) && generationHeads().isEmpty()) {
            return ByteLevelBpeTokenizer.bytesOnly();
        }
        List<String> texts = new ArrayList<>();
        for (Dataset d : datasets) {
            for (ManifestEntry e : d.entries(Split.TRAIN)) {
                if (e.has(Modality.TEXT)) {
                    texts.add(e.inputs().get(Modality.TEXT));
                }
            }
        }
        // a generation head writes with the text's tokenizer: it learns the texts to write too
        List<String> generating = generationHeads();
        generating.forEach(head -> texts.addAll(texts(head)));
        boolean singleDigits = !generating.isEmpty() && config.model().decoder().singleDigits();
        return new BpeTrainer(new BpeTrainer.Config(features().vocabularySize(), 2, singleDigits))
                .train(texts);
    }

    private SampleSource trainSource(List<Dataset> datasets) {
        if (datasets.size() == 1) {
            return SampleSource.of(datasets.get(0).entries(Split.TRAIN), Order.SHUFFLED);
        }
        List<DatasetMix.Part> parts = new ArrayList<>();
        for (int i = 0; i < datasets.size(); i++) {
            parts.add(new DatasetMix.Part(datasets.get(i), config.data().get(i).weight()));
        }
        return DatasetMix.of(parts, Split.TRAIN);
    }

    private static SampleSource source(List<Dataset> datasets, Split split) {
        List<ManifestEntry> entries = new ArrayList<>();
        datasets.forEach(d -> entries.addAll(d.entries(split)));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(
                    "the datasets have no '"
                            + split.name().toLowerCase()
                            + "' rows; every run needs train, val and test rows");
        }
        return SampleSource.of(entries, Order.SEQUENTIAL);
    }

    private RunConfig withFeatures(RunConfig.FeatureSpec spec) {
        return new RunConfig(
                config.name(),
                config.data(),
                spec,
                config.augment(),
                config.model(),
                config.training(),
                config.output());
    }

    /** How the model was made: configuration, data fingerprints, seed, version, results. */
    private ObjectNode provenance(
            List<Dataset> datasets, FusionTrainer.Result trained, Evaluation test) {
        // the trainer's record (version, times, seed, training, manifest fingerprints), plus what
        // only the run knows: its name, its whole configuration, the datasets' names, the test
        ObjectNode p = JSON.valueToTree(trained.provenance());
        p.put("name", config.name());
        p.set("run", JSON.valueToTree(withFeatures(features())));
        p.set("derivedFeatures", JSON.valueToTree(derivedFeatures()));
        ArrayNode names = p.putArray("datasetNames");
        datasets.forEach(d -> names.add(d.name()));
        p.set("testMetrics", JSON.valueToTree(test.metrics()));
        return p;
    }
}
