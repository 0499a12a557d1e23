package dev.braid.apps.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.braid.audio.augment.AdditiveNoise;
import dev.braid.audio.augment.RandomGain;
import dev.braid.audio.augment.TimeShift;
import dev.braid.audio.augment.WaveformAugmentation;
import dev.braid.audio.encoder.AudioFrontEnd;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.inspect.FittedFeatures;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.ReplyMemory;
import dev.braid.fusion.train.TrainConfig;
import dev.braid.vision.encoder.StageBlock;
import dev.braid.vision.image.Augmentation;
import dev.braid.vision.image.DecodeOptions;
import dev.braid.vision.image.ImageAugmentation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A training run, as written in a YAML file: what data, what features, what model, how to train,
 * where to write. Every field has a default ({@link #defaults()}); a file only says what differs,
 * and {@code --set key.path=value} changes one field on the command line.
 *
 * @param name the run's name, used in reports
 * @param data the datasets, each a folder with {@code manifest.jsonl}, and its sampling weight
 * @param features how raw inputs become model inputs
 * @param augment how training inputs are varied (validation and test inputs never are)
 * @param model which encoders and which fusion
 * @param training how to train ({@link TrainConfig}'s fields)
 * @param output the directory the run writes (model, log, checkpoint, report)
 */
public record RunConfig(
        String name,
        List<DataSource> data,
        FeatureSpec features,
        AugmentSpec augment,
        ModelSpec model,
        TrainConfig training,
        String output) {

    /**
     * One dataset of the run.
     *
     * @param path the dataset folder, relative to the working directory
     * @param weight its sampling weight in the mix
     */
    public record DataSource(String path, double weight) {}

    /**
     * Preprocessing. A setting left out (null) is derived from the training split when the run
     * starts ({@code FeatureFit}): the run prints what it chose and why, and the model's provenance
     * records it.
     *
     * @param textMaxLength tokens per text, [CLS] and [SEP] included; null: derived
     * @param vocabularySize the BPE vocabulary trained on the training texts; null: derived
     * @param imageSize images are resized to this square size; null: derived
     * @param imageChannels 1 (gray) or 3 (RGB); null: derived
     * @param mels log-mel bands
     * @param audioMaxSeconds audio read per clip at most; null: derived
     * @param audioMaxFrames log-mel frames kept at most (100 per second); null: derived
     * @param cache whether to cache decoded images and log-mels under the output folder
     * @param imageMinSide images narrower or shorter than this are refused
     * @param imageMaxPixels images whose header claims more pixels are refused before decoding
     * @param imageMaxBytes image files larger than this are refused
     */
    public record FeatureSpec(
            Integer textMaxLength,
            Integer vocabularySize,
            Integer imageSize,
            Integer imageChannels,
            int mels,
            Double audioMaxSeconds,
            Integer audioMaxFrames,
            boolean cache,
            int imageMinSide,
            long imageMaxPixels,
            long imageMaxBytes) {

        private static final DecodeOptions.LimitNames FIELDS =
                new DecodeOptions.LimitNames(
                        "features.imageMaxPixels",
                        "features.imageMaxBytes",
                        "features.imageMinSide");

        /**
         * The spec giving every setting of {@code settings}, with a vocabulary size, the cache
         * switch and the default image limits.
         */
        static FeatureSpec of(FeatureSettings settings, int vocabularySize, boolean cache) {
            return new FeatureSpec(
                    settings.textMaxLength(),
                    vocabularySize,
                    settings.image().height(),
                    settings.image().channels(),
                    settings.logMel().nMels(),
                    settings.audioLoad().maxSeconds(),
                    settings.audioMaxFrames(),
                    cache,
                    DecodeOptions.DEFAULT_MIN_SIDE,
                    DecodeOptions.DEFAULT_MAX_PIXELS,
                    DecodeOptions.DEFAULT_MAX_BYTES);
        }

        /** Every derivable setting left out: 64 mels, the cache on, the default image limits. */
        static FeatureSpec derived() {
            return new FeatureSpec(
                    null,
                    null,
                    null,
                    null,
                    FeatureSettings.defaults().logMel().nMels(),
                    null,
                    null,
                    true,
                    DecodeOptions.DEFAULT_MIN_SIDE,
                    DecodeOptions.DEFAULT_MAX_PIXELS,
                    DecodeOptions.DEFAULT_MAX_BYTES);
        }

        /** This spec with every setting left out taken from {@code fitted}. */
        public FeatureSpec filledFrom(FittedFeatures fitted) {
            return new FeatureSpec(
                    textMaxLength != null ? textMaxLength : fitted.textMaxLength(),
                    vocabularySize != null ? vocabularySize : fitted.vocabularySize(),
                    imageSize != null ? imageSize : fitted.imageSize(),
                    imageChannels != null ? imageChannels : fitted.imageChannels(),
                    mels,
                    audioMaxSeconds != null ? audioMaxSeconds : fitted.audioMaxSeconds(),
                    audioMaxFrames != null ? audioMaxFrames : fitted.audioMaxFrames(),
                    cache,
                    imageMinSide,
                    imageMaxPixels,
                    imageMaxBytes);
        }

        /** The fields ({@code features.imageSize}) this spec leaves out. */
        public List<String> leftOut() {
            List<String> out = new java.util.ArrayList<>();
            String[] names = {
                "textMaxLength",
                "vocabularySize",
                "imageSize",
                "imageChannels",
                "audioMaxSeconds",
                "audioMaxFrames"
            };
            Object[] values = {
                textMaxLength,
                vocabularySize,
                imageSize,
                imageChannels,
                audioMaxSeconds,
                audioMaxFrames
            };
            for (int i = 0; i < names.length; i++) {
                if (values[i] == null) {
                    out.add("features." + names[i]);
                }
            }
            return out;
        }

        /**
         * Checks the given settings and the image limits once, so a bad one fails when the file is
         * read.
         */
        public FeatureSpec {
            positive("textMaxLength", textMaxLength);
            positive("vocabularySize", vocabularySize);
            positive("imageSize", imageSize);
            positive("audioMaxFrames", audioMaxFrames);
            if (imageChannels != null && imageChannels != 1 && imageChannels != 3) {
                throw new IllegalArgumentException(
                        "features.imageChannels ("
                                + imageChannels
                                + ") must be 1 (gray) or 3 (RGB)");
            }
            if (audioMaxSeconds != null && !(audioMaxSeconds > 0)) {
                throw new IllegalArgumentException(
                        "features.audioMaxSeconds (" + audioMaxSeconds + ") must be positive");
            }
            decoding(imageMinSide, imageMaxPixels, imageMaxBytes);
        }

        private static void positive(String field, Integer value) {
            if (value != null && value < 1) {
                throw new IllegalArgumentException(
                        "features." + field + " (" + value + ") must be positive");
            }
        }

        /** How images are decoded: these limits, which a refused image names by their fields. */
        public DecodeOptions imageDecoding() {
            return decoding(imageMinSide, imageMaxPixels, imageMaxBytes);
        }

        private static DecodeOptions decoding(int minSide, long maxPixels, long maxBytes) {
            return DecodeOptions.defaults()
                    .withNames(FIELDS)
                    .withMinSide(minSide)
                    .withMaxPixels(maxPixels)
                    .withMaxBytes(maxBytes);
        }
    }

    /**
     * Training-time augmentation, each drawn per sample from (seed, epoch, position) so a run stays
     * reproducible; 0 turns a step off. Augmented inputs bypass the feature cache.
     *
     * @param imageRotationDegrees rotate photos by up to this many degrees either way
     * @param imageColorJitter scale brightness and contrast by up to this fraction either way
     * @param imageNoise add Gaussian pixel noise of this standard deviation (pixels in 0..1)
     * @param audioGainDb change loudness by up to this many dB either way
     * @param audioShiftSeconds shift clips in time by up to this many seconds either way
     * @param audioNoiseSnrDb add white noise at a signal-to-noise ratio drawn between this and 30
     *     dB
     */
    public record AugmentSpec(
            double imageRotationDegrees,
            double imageColorJitter,
            double imageNoise,
            double audioGainDb,
            double audioShiftSeconds,
            double audioNoiseSnrDb) {

        /** Builds the steps once, so a value out of range fails when the file is read. */
        public AugmentSpec {
            imageSteps(imageRotationDegrees, imageColorJitter, imageNoise);
            audioSteps(audioGainDb, audioShiftSeconds, audioNoiseSnrDb);
        }

        /** No augmentation. */
        public static AugmentSpec none() {
            return new AugmentSpec(0, 0, 0, 0, 0, 0);
        }

        /** The image steps that are on, in a fixed order. */
        public ImageAugmentation image() {
            return imageSteps(imageRotationDegrees, imageColorJitter, imageNoise);
        }

        /** The waveform steps that are on, in a fixed order. */
        public List<WaveformAugmentation> audio() {
            return audioSteps(audioGainDb, audioShiftSeconds, audioNoiseSnrDb);
        }

        private static ImageAugmentation imageSteps(double rotation, double jitter, double noise) {
            List<Augmentation> steps = new java.util.ArrayList<>();
            if (rotation > 0) {
                steps.add(named("imageRotationDegrees", rotation, Augmentation.Rotation::new));
            }
            if (jitter > 0) {
                steps.add(
                        named("imageColorJitter", jitter, v -> new Augmentation.ColorJitter(v, v)));
            }
            if (noise > 0) {
                steps.add(named("imageNoise", noise, Augmentation.GaussianNoise::new));
            }
            return steps.isEmpty() ? ImageAugmentation.none() : new ImageAugmentation(steps);
        }

        /** Makes one step, naming the field when its value is out of the step's range. */
        private static <T> T named(
                String field, double value, java.util.function.DoubleFunction<T> step) {
            try {
                return step.apply(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "augment." + field + " (" + value + "): " + e.getMessage(), e);
            }
        }

        private static List<WaveformAugmentation> audioSteps(
                double gainDb, double shiftSeconds, double snrDb) {
            List<WaveformAugmentation> steps = new java.util.ArrayList<>();
            if (gainDb > 0) {
                steps.add(named("audioGainDb", gainDb, v -> new RandomGain(-v, v)));
            }
            if (shiftSeconds > 0) {
                steps.add(named("audioShiftSeconds", shiftSeconds, TimeShift::new));
            }
            if (snrDb > 0) {
                steps.add(
                        named(
                                "audioNoiseSnrDb",
                                snrDb,
                                v -> new AdditiveNoise(v, Math.max(v, 30))));
            }
            return steps;
        }
    }

    /**
     * The model.
     *
     * @param modalities the modalities the model reads (its encoders)
     * @param width the encoders' output width
     * @param image the image encoder's shape (read when the model has images)
     * @param audio the audio encoder's shape (read when the model has audio)
     * @param fusion the fusion block
     * @param pretrainedText a text encoder saved by pre-training ({@code braid text-demo}, {@code
     *     SavedTextEncoder}) to fine-tune instead of a new one, with its tokenizer; null for none
     * @param textEncoder a frozen pretrained text model whose vectors a trainable adapter reads
     *     instead of a Transformer text encoder ({@code OnnxTextFeatures#named}): {@code
     *     minilm-en}, {@code bge-small-zh}, {@code bilingual} (one of the two by script per
     *     message), {@code bilingual-both}, or an {@code .onnx} file with its {@code
     *     tokenizer.json} beside it; or a TorchScript {@code .pt} file (ids and mask in, tokens
     *     out, its {@code tokenizer.json} beside it), fine-tuned unless {@code
     *     training.frozenEncoders} has TEXT; null for none
     * @param heads the kind of each head that does not take the kind its labels' JSON type says, by
     *     head name, e.g. {@code {severity: ORDINAL}} for a plug-in kind ({@code HeadKindPlugin});
     *     empty for none
     * @param pretrainedAudio a spectrogram encoder saved by speech pre-training ({@code braid
     *     pretrain-audio}, {@code SavedAudioEncoder}) to fine-tune instead of a new one; its shape
     *     replaces {@code audio}; null for none
     * @param decoder the decoder of every head declared {@code GENERATION} in {@code heads}
     */
    public record ModelSpec(
            List<Modality> modalities,
            int width,
            ImageSpec image,
            AudioSpec audio,
            FusionConfig fusion,
            String pretrainedText,
            String textEncoder,
            Map<String, HeadKind> heads,
            String pretrainedAudio,
            DecoderSpec decoder) {

        /** Copies the heads, checking each has a name and a kind. */
        public ModelSpec {
            decoder = decoder == null ? DecoderSpec.defaults() : decoder;
            heads = heads == null ? Map.of() : new TreeMap<>(heads);
            heads.forEach(
                    (name, kind) -> {
                        if (name.isBlank() || kind == null) {
                            throw new IllegalArgumentException(
                                    "model.heads: '"
                                            + name
                                            + "': "
                                            + kind
                                            + " must be a head name and a head kind; known kinds: "
                                            + HeadKind.values());
                        }
                    });
            heads = Collections.unmodifiableMap(heads);
        }
    }

    /**
     * The decoder of a generation head ({@code model.heads: {reply: GENERATION}}): a GPT-2-shaped
     * Transformer decoder (learned positions, GELU, Pre-LN, output tied to the token embedding)
     * with cross-attention in every layer over every modality's encoder tokens (or the fusion's
     * output).
     *
     * @param width its width D
     * @param layers its layers
     * @param heads its attention heads (dividing {@code width})
     * @param copy whether it may copy a token of the message (an order number) through a pointer
     *     over the text's tokens ({@code MemoryCopy}); only with token ids, not a pretrained text
     *     model's vectors
     * @param singleDigits whether the run's tokenizer writes every digit as a token of its own, so
     *     a number is the same tokens in the message and the text to write
     * @param maxTokens the longest text it is taught and writes, in tokens; 0 for the longest
     *     training text
     * @param memory what it attends to: ENCODER_TOKENS (every modality's encoder tokens; copying
     *     needs these) or FUSION_OUTPUT (the fusion's output vectors); left out, ENCODER_TOKENS
     */
    public record DecoderSpec(
            int width,
            int layers,
            int heads,
            boolean copy,
            boolean singleDigits,
            int maxTokens,
            ReplyMemory memory) {

        /** Checks the sizes. */
        public DecoderSpec {
            if (memory == null) {
                memory = ReplyMemory.ENCODER_TOKENS;
            }
            if (width < 1 || layers < 1 || heads < 1 || maxTokens < 0) {
                throw new IllegalArgumentException(
                        "model.decoder: width ("
                                + width
                                + "), layers ("
                                + layers
                                + ") and heads ("
                                + heads
                                + ") must be positive, maxTokens ("
                                + maxTokens
                                + ") at least 0");
            }
        }

        static DecoderSpec defaults() {
            return new DecoderSpec(64, 2, 4, true, true, 0, ReplyMemory.ENCODER_TOKENS);
        }
    }

    /**
     * The CNN image encoder's shape ({@code ImageEncoderConfig}): a 3 x 3 stem, then one stage of
     * residual blocks per entry of {@code stages}, each after the first halving the feature map.
     * Tokens per image: {@code (imageSize / (stemStride * 2^(stages - 1)))²}.
     *
     * @param stemChannels channels after the stem
     * @param stemStride 1 or 2
     * @param stages channels of each stage
     * @param blocks blocks of each stage, one entry per stage
     * @param stageBlock RESIDUAL blocks, or PLAIN single convolutions (then every stage halves the
     *     feature map, the first too)
     */
    public record ImageSpec(
            int stemChannels,
            int stemStride,
            List<Integer> stages,
            List<Integer> blocks,
            StageBlock stageBlock) {

        /** 28x28 -> 14x14 -> 7x7: 49 tokens keep attention cheap. */
        static ImageSpec defaults() {
            return new ImageSpec(16, 2, List.of(16, 32), List.of(1, 1), StageBlock.RESIDUAL);
        }
    }

    /**
     * The spectrogram encoder's shape ({@code AudioEncoderConfig}): stride-2 3 x 3 convolutions
     * over mels and frames, a projection to the width, then temporal convolution blocks.
     *
     * @param channels channels of each convolution
     * @param convLayers how many stride-2 convolutions (each halves the frames)
     * @param temporalBlocks residual temporal convolution blocks after the projection
     * @param temporalKernel their kernel size, odd
     * @param frontEnd CONV2D over (mel, time), or CONV1D over time with the mels as channels
     */
    public record AudioSpec(
            int channels,
            int convLayers,
            int temporalBlocks,
            int temporalKernel,
            AudioFrontEnd frontEnd) {

        static AudioSpec defaults() {
            return new AudioSpec(32, 2, 2, 3, AudioFrontEnd.CONV2D);
        }
    }

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The defaults every file starts from. */
    public static RunConfig defaults() {
        return new RunConfig(
                "braid-run",
                List.of(new DataSource("data/avmnist", 1)),
                FeatureSpec.derived(),
                AugmentSpec.none(),
                new ModelSpec(
                        List.of(Modality.IMAGE, Modality.AUDIO),
                        64,
                        ImageSpec.defaults(),
                        AudioSpec.defaults(),
                        FusionConfig.defaults(),
                        null,
                        null,
                        Map.of(),
                        null,
                        DecoderSpec.defaults()),
                TrainConfig.defaults(),
                "runs/braid-run");
    }

    /** {@code training.epochs: 'many' is not a valid int}, one line. */
    private static String wrongType(MismatchedInputException e) {
        String field = fieldPath(e);
        Class<?> type = e.getTargetType();
        String found =
                e instanceof InvalidFormatException f ? "'" + f.getValue() + "'" : "the value";
        if (type != null && type.isEnum()) {
            return field
                    + ": "
                    + found
                    + " is not one of "
                    + Arrays.toString(type.getEnumConstants());
        }
        return field
                + ": "
                + found
                + " is not a valid "
                + (type == null ? "value" : type.getSimpleName());
    }

    /** The field a mapping error is about: {@code model.heads.severity}, {@code data[0].path}. */
    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    /**
     * Reads a YAML file over the defaults, then applies {@code key.path=value} overrides.
     *
     * @throws IllegalArgumentException naming the file and the field for unknown or invalid fields
     */
    public static RunConfig load(Path file, List<String> overrides) throws IOException {
        JsonNode fromFile;
        try (InputStream in = Files.newInputStream(file)) {
            fromFile = YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return resolve(fromFile, overrides, file.toString());
    }

    /** Like {@link #load} for a configuration given as a YAML string (ready-made configs). */
    public static RunConfig parse(String yaml, List<String> overrides, String source)
            throws IOException {
        return resolve(YAML.readTree(yaml), overrides, source);
    }

    private static RunConfig resolve(JsonNode fromFile, List<String> overrides, String source) {
        ObjectNode tree = YAML.valueToTree(defaults());
        if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
            if (!fromFile.isObject()) {
                throw new IllegalArgumentException(
                        source + ": the top level must be a mapping of fields");
            }
            merge(tree, (ObjectNode) fromFile, "");
        }
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        try {
            return YAML.treeToValue(tree, RunConfig.class);
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(source + ": " + wrongType(e), e);
        } catch (ValueInstantiationException e) {
            // a value type's factory (a head kind, a modality) does not know the field it is in
            String field = e.getType().isRecordType() ? "" : fieldPath(e) + ": ";
            throw new IllegalArgumentException(
                    source + ": " + field + e.getCause().getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException(source + ": " + cause.getMessage(), e);
        }
    }

    /**
     * Copies {@code from} into {@code into}, objects merged field by field, other values replaced.
     */
    private static void merge(ObjectNode into, ObjectNode from, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = into.get(e.getKey());
            if (current == null) {
                throw new IllegalArgumentException(
                        "unknown field '"
                                + path
                                + e.getKey()
                                + "'; known here: "
                                + fieldNames(into));
            }
            if (current.isObject() && current.isEmpty()) {
                into.set(e.getKey(), e.getValue()); // an empty map by default is open: replaced
            } else if (current.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) current, (ObjectNode) e.getValue(), path + e.getKey() + ".");
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("--set " + override + ": expected key.path=value");
        }
        String[] keys = override.substring(0, eq).split("\\.");
        String value = override.substring(eq + 1);
        ObjectNode node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || !child.isObject()) {
                throw new IllegalArgumentException(
                        "--set "
                                + override
                                + ": no section '"
                                + keys[i]
                                + "'; known: "
                                + fieldNames(node));
            }
            node = (ObjectNode) child;
        }
        String last = keys[keys.length - 1];
        if (!node.has(last)) {
            throw new IllegalArgumentException(
                    "--set " + override + ": no field '" + last + "'; known: " + fieldNames(node));
        }
        try {
            node.set(last, YAML.readTree(value)); // numbers, booleans, lists as YAML
        } catch (IOException e) {
            node.put(last, value);
        }
    }

    private static String fieldNames(ObjectNode node) {
        StringBuilder names = new StringBuilder();
        node.fieldNames()
                .forEachRemaining(n -> names.append(names.length() > 0 ? ", " : "").append(n));
        return names.toString();
    }
}
