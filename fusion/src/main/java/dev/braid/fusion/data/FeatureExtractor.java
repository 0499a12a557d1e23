package dev.braid.fusion.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.audio.augment.WaveformAugmentation;
import dev.braid.audio.features.Features;
import dev.braid.audio.features.LogMelExtractor;
import dev.braid.audio.signal.AudioDecodeException;
import dev.braid.audio.signal.AudioLoader;
import dev.braid.audio.signal.Waveform;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugin;
import dev.braid.fusion.ModalityPlugins;
import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.image.DecodeOptions;
import dev.braid.vision.image.ImageAugmentation;
import dev.braid.vision.image.ImageDecodeException;
import dev.braid.vision.image.ImageDecoder;
import dev.braid.vision.image.ImagePreprocessor;
import dev.braid.vision.image.ImageSource;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Turns one {@link ManifestEntry} into {@link SampleFeatures}: text to {@code [CLS] ids [SEP]},
 * image to normalised {@code [C, H, W]} floats, audio to a log-mel {@code [M][F]} cropped to {@code
 * audioMaxFrames}.
 *
 * <p>Images are augmented when an {@link ImageAugmentation} other than {@code none()} is given; the
 * random draws come from a generator seeded with the {@code sampleSeed} argument, which the loader
 * derives from (seed, epoch, position) with {@link #sampleSeed}, so a sample's augmentation does
 * not depend on which thread prepares it. Deterministic features (all audio; images when not
 * augmented; a plug-in modality's read from a manifest, when the plug-in gives a {@link
 * ModalityPlugin#cacheInput}) go through the {@link FeatureCache}. Thread-safe.
 *
 * <p>Text is tokenized, unless {@link #withTextFeatures} gives a frozen pretrained model: then each
 * text becomes that model's vectors {@code [T][H]}, through the cache (the model never changes, so
 * neither do they).
 */
public final class FeatureExtractor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tokenizer tokenizer;
    private final FeatureSettings settings;
    private final ImageAugmentation augmentation;
    private final List<WaveformAugmentation> audioAugmentation;
    private final FeatureCache cache;
    private final DecodeOptions decoding;
    private final TextFeatures textFeatures; // null: text is tokenized
    private final Map<String, byte[]> media; // inputs read from memory, by their manifest value
    private final ImagePreprocessor images;
    private final AudioLoader audioLoader;
    private final LogMelExtractor logMel;
    private final String imageKey;
    private final String audioKey;

    /**
     * An extractor.
     *
     * @param tokenizer encodes the text
     * @param settings the settings of every modality
     * @param augmentation image augmentations for training, or {@link ImageAugmentation#none()}
     * @param cache where deterministic features are kept, or {@link FeatureCache#none()}
     */
    public FeatureExtractor(
            Tokenizer tokenizer,
            FeatureSettings settings,
            ImageAugmentation augmentation,
            FeatureCache cache) {
        this(tokenizer, settings, augmentation, List.of(), cache);
    }

    /**
     * As above, with waveform augmentations (noise at an SNR, gain, shift) applied to every clip
     * before its log-mel, seeded like the image augmentations; augmented clips bypass the cache.
     */
    public FeatureExtractor(
            Tokenizer tokenizer,
            FeatureSettings settings,
            ImageAugmentation augmentation,
            List<WaveformAugmentation> audioAugmentation,
            FeatureCache cache) {
        this(
                tokenizer,
                settings,
                augmentation,
                audioAugmentation,
                cache,
                DecodeOptions.defaults(),
                null,
                Map.of());
    }

    private FeatureExtractor(
            Tokenizer tokenizer,
            FeatureSettings settings,
            ImageAugmentation augmentation,
            List<WaveformAugmentation> audioAugmentation,
            FeatureCache cache,
            DecodeOptions decoding,
            TextFeatures textFeatures,
            Map<String, byte[]> media) {
        this.decoding = Objects.requireNonNull(decoding, "decoding");
        this.textFeatures = textFeatures;
        this.media = Map.copyOf(media);
        this.audioAugmentation = List.copyOf(audioAugmentation);
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.images =
                new ImagePreprocessor(settings.image(), new ImageDecoder(decoding), augmentation);
        this.audioLoader = new AudioLoader(settings.audioLoad());
        this.logMel = new LogMelExtractor(settings.logMel());
        this.imageKey = json(List.of(settings.image()));
        this.audioKey =
                json(List.of(settings.audioLoad(), settings.logMel(), settings.audioMaxFrames()));
    }

    /** An extractor without augmentation or cache, for evaluation and prediction. */
    public static FeatureExtractor of(Tokenizer tokenizer, FeatureSettings settings) {
        return new FeatureExtractor(
                tokenizer, settings, ImageAugmentation.none(), FeatureCache.none());
    }

    /**
     * This extractor with images decoded under {@code options}: their size limits, and the names a
     * refusal gives them ({@link DecodeOptions#defaults()} until changed). The limits only accept
     * or refuse an image, so the features and the cache are the same.
     */
    public FeatureExtractor withDecoding(DecodeOptions options) {
        return new FeatureExtractor(
                tokenizer,
                settings,
                augmentation,
                audioAugmentation,
                cache,
                options,
                textFeatures,
                media);
    }

    /**
     * This extractor with every text read by {@code model} (a frozen pretrained model) into vectors
     * instead of tokenized; the extractor does not close the model.
     */
    public FeatureExtractor withTextFeatures(TextFeatures model) {
        return new FeatureExtractor(
                tokenizer,
                settings,
                augmentation,
                audioAugmentation,
                cache,
                decoding,
                Objects.requireNonNull(model, "model"),
                media);
    }

    /**
     * This extractor with some rows' images and clips held in memory instead of files: a row whose
     * IMAGE or AUDIO input is a key of {@code bytes} is decoded from those bytes (as a request's
     * are, augmented as a file would be) and never goes through the cache, so nothing of it is
     * written to disk. For rows read from a database (the desk's tickets); other rows read their
     * files as before. The arrays are shared, not copied.
     */
    public FeatureExtractor withMediaInMemory(Map<String, byte[]> bytes) {
        return new FeatureExtractor(
                tokenizer,
                settings,
                augmentation,
                audioAugmentation,
                cache,
                decoding,
                textFeatures,
                bytes);
    }

    /** The width of the text vectors, or 0 when text is tokenized. */
    public int textWidth() {
        return textFeatures == null ? 0 : textFeatures.width();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write settings as JSON", e);
        }
    }

    /** The settings. */
    public FeatureSettings settings() {
        return settings;
    }

    /** The tokenizer of the text, which a generation head also writes with. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The tokenizer's special tokens ({@code [PAD]} fills text padding). */
    public SpecialTokens specialTokens() {
        return tokenizer.specialTokens();
    }

    /**
     * The seed of one sample's augmentation: a mix (SplitMix64) of the run seed, the epoch and the
     * sample's position in the epoch.
     */
    public static long sampleSeed(long seed, int epoch, long position) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ epoch);
        return mix(h ^ position);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Extracts the features of {@code entry}.
     *
     * @param entry the row
     * @param sampleSeed seeds the image augmentation (unused without augmentation)
     * @return the features of the modalities the row has
     * @throws FeatureException if an input cannot be read or decoded, naming the manifest line, the
     *     modality and the file
     */
    public SampleFeatures extract(ManifestEntry entry, long sampleSeed) {
        int[] ids = SampleFeatures.NO_TEXT;
        float[][] vectors = SampleFeatures.NO_VECTORS;
        float[] pixels = SampleFeatures.NO_IMAGE;
        Features audio = SampleFeatures.NO_AUDIO;
        if (entry.has(Modality.TEXT)) {
            String text = entry.inputs().get(Modality.TEXT);
            if (textFeatures == null) {
                ids = text(text);
            } else {
                try {
                    vectors = cachedVectors(text);
                } catch (IOException | RuntimeException e) {
                    throw new FeatureException(entry, Modality.TEXT, e);
                }
            }
        }
        if (entry.has(Modality.IMAGE)) {
            try {
                pixels = image(entry.inputs().get(Modality.IMAGE), sampleSeed);
            } catch (IOException | RuntimeException e) {
                throw new FeatureException(entry, Modality.IMAGE, e);
            }
        }
        if (entry.has(Modality.AUDIO)) {
            try {
                audio = audio(entry.inputs().get(Modality.AUDIO), sampleSeed);
            } catch (IOException | RuntimeException e) {
                throw new FeatureException(entry, Modality.AUDIO, e);
            }
        }
        return new SampleFeatures(ids, vectors, pixels, audio, others(entry));
    }

    /**
     * Reads the features of {@code entry} that the cache keeps (images and clips that are not
     * augmented) into it, computing nothing else: for holding a dataset's features in memory before
     * training starts.
     *
     * @throws FeatureException if an input cannot be read or decoded, naming the manifest line, the
     *     modality and the file
     */
    public void keep(ManifestEntry entry) {
        if (entry.has(Modality.IMAGE) && augmentation.steps().isEmpty()) {
            try {
                image(entry.inputs().get(Modality.IMAGE), 0);
            } catch (IOException | RuntimeException e) {
                throw new FeatureException(entry, Modality.IMAGE, e);
            }
        }
        if (entry.has(Modality.AUDIO) && audioAugmentation.isEmpty()) {
            try {
                audio(entry.inputs().get(Modality.AUDIO), 0);
            } catch (IOException | RuntimeException e) {
                throw new FeatureException(entry, Modality.AUDIO, e);
            }
        }
    }

    private float[][] cachedVectors(String text) throws IOException {
        return cache.features(
                Modality.TEXT.name(),
                json(List.of(textFeatures.cacheKey(), settings.textMaxLength())),
                () -> text.getBytes(StandardCharsets.UTF_8),
                VectorsCodec.INSTANCE,
                () -> textFeatures.vectors(text, settings.textMaxLength()));
    }

    /** Text vectors in a cache entry: T, H, then the T * H floats. */
    private enum VectorsCodec implements FeatureCache.Codec<float[][]> {
        INSTANCE;

        @Override
        public void write(DataOutputStream out, float[][] vectors) throws IOException {
            out.writeInt(vectors.length);
            out.writeInt(vectors[0].length);
            for (float[] vector : vectors) {
                for (float v : vector) {
                    out.writeFloat(v);
                }
            }
        }

        @Override
        public float[][] read(DataInputStream in) throws IOException {
            int t = in.readInt();
            int h = in.readInt();
            if (t < 1 || h < 1 || (long) t * h > (1 << 26)) {
                throw new IOException("bad text vectors shape " + t + " x " + h);
            }
            float[][] vectors = new float[t][h];
            for (float[] vector : vectors) {
                for (int i = 0; i < h; i++) {
                    vector[i] = in.readFloat();
                }
            }
            return vectors;
        }
    }

    /**
     * The features of the row's plug-in modalities, each read by its plug-in; through the cache
     * where the plug-in gives a {@link ModalityPlugin#cacheInput}.
     */
    private Map<Modality, Object> others(ManifestEntry entry) {
        Map<Modality, Object> others = new TreeMap<>();
        for (Map.Entry<Modality, String> input : entry.inputs().entrySet()) {
            Modality m = input.getKey();
            if (m.builtIn()) {
                continue;
            }
            try {
                JsonNode value = JSON.readTree(input.getValue());
                others.put(m, plugInFeatures(ModalityPlugins.of(m), value, entry));
            } catch (IOException | RuntimeException e) {
                throw new FeatureException(entry, m, e);
            }
        }
        return others;
    }

    private <F> F plugInFeatures(ModalityPlugin<F> plugin, JsonNode value, ManifestEntry entry)
            throws IOException {
        // plug-ins have no training augmentation, so their manifest features are deterministic
        Path dir = entry.manifest().getParent();
        return cache.features(
                plugin.modality().name(),
                json(List.of(plugin.getClass().getName(), plugin.cacheSettings())),
                () -> plugin.cacheInput(value, dir),
                new PlugInCodec<>(plugin),
                () -> plugin.fromManifest(value, dir));
    }

    /** A plug-in's cache entry: the length of its encoding, then the encoding. */
    private record PlugInCodec<F>(ModalityPlugin<F> plugin) implements FeatureCache.Codec<F> {
        @Override
        public void write(DataOutputStream out, F features) throws IOException {
            byte[] bytes = plugin.encode(features);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public F read(DataInputStream in) throws IOException {
            int n = in.readInt();
            if (n < 0 || n > (1 << 30)) {
                throw new IOException("bad length " + n);
            }
            byte[] bytes = in.readNBytes(n); // grows as it reads: a damaged length fails cheaply
            if (bytes.length != n) {
                throw new IOException("entry ends after " + bytes.length + " of " + n + " bytes");
            }
            return plugin.decode(bytes);
        }
    }

    /**
     * Extracts the features of one request that arrives as bytes rather than as a manifest row (the
     * predictor's case): no augmentation, no cache. Null means the modality is absent.
     *
     * @throws UnreadableInputException naming the modality and the reason if an input cannot be
     *     decoded
     * @throws IllegalArgumentException if all three are absent
     */
    public SampleFeatures extract(String text, byte[] image, byte[] audio) {
        return extract(text, image, audio, Map.of());
    }

    /**
     * As {@link #extract(String, byte[], byte[])}, with the raw bytes of plug-in modalities, each
     * read by its plug-in.
     *
     * @throws UnreadableInputException naming the modality if an input cannot be read
     * @throws IllegalArgumentException if every input is absent
     */
    public SampleFeatures extract(
            String text, byte[] image, byte[] audio, Map<Modality, byte[]> others) {
        if (text == null && image == null && audio == null && others.isEmpty()) {
            throw new IllegalArgumentException("give at least one input");
        }
        Map<Modality, Object> read = new TreeMap<>();
        for (Map.Entry<Modality, byte[]> input : others.entrySet()) {
            try {
                read.put(
                        input.getKey(),
                        ModalityPlugins.of(input.getKey()).fromBytes(input.getValue()));
            } catch (IOException | RuntimeException e) {
                throw new UnreadableInputException(
                        input.getKey(), String.valueOf(e.getMessage()), e);
            }
        }
        int[] ids = SampleFeatures.NO_TEXT;
        float[][] vectors = SampleFeatures.NO_VECTORS;
        if (text != null && textFeatures == null) {
            ids = text(text);
        } else if (text != null) {
            try {
                vectors = textFeatures.vectors(text, settings.textMaxLength());
            } catch (RuntimeException e) {
                throw new UnreadableInputException(Modality.TEXT, e.getMessage(), e);
            }
        }
        float[] pixels = SampleFeatures.NO_IMAGE;
        Features logMelFeatures = SampleFeatures.NO_AUDIO;
        if (image != null) {
            try {
                pixels = images.process(ImageSource.of("image", image), new SplittableRandom(0));
            } catch (ImageDecodeException e) {
                throw new UnreadableInputException(Modality.IMAGE, e.reason(), e);
            } catch (RuntimeException e) {
                throw new UnreadableInputException(Modality.IMAGE, e.getMessage(), e);
            }
        }
        if (audio != null) {
            try {
                logMelFeatures = audioFeatures(audioLoader.load(audio, "audio"));
            } catch (AudioDecodeException e) {
                throw new UnreadableInputException(Modality.AUDIO, e.reason(), e);
            } catch (IOException | RuntimeException e) {
                throw new UnreadableInputException(Modality.AUDIO, e.getMessage(), e);
            }
        }
        return new SampleFeatures(ids, vectors, pixels, logMelFeatures, read);
    }

    private Features audioFeatures(Waveform clip) throws IOException {
        if (clip.length() == 0) {
            throw new IOException("the clip has no samples");
        }
        Features features = logMel.extract(clip);
        return features.width() > settings.audioMaxFrames()
                ? features.fit(settings.audioMaxFrames())
                : features;
    }

    private int[] text(String text) {
        SpecialTokens special = tokenizer.specialTokens();
        int[] tokens = tokenizer.encode(text, settings.textMaxLength() - 2);
        int[] ids = new int[tokens.length + 2];
        ids[0] = special.cls();
        System.arraycopy(tokens, 0, ids, 1, tokens.length);
        ids[ids.length - 1] = special.sep();
        return ids;
    }

    private float[] image(String input, long sampleSeed) throws IOException {
        byte[] held = media.get(input);
        if (held != null) {
            long seed = augmentation.steps().isEmpty() ? 0 : sampleSeed;
            return images.process(ImageSource.of(input, held), new SplittableRandom(seed));
        }
        Path file = Path.of(input);
        if (!augmentation.steps().isEmpty()) {
            return images.process(ImageSource.of(file), new SplittableRandom(sampleSeed));
        }
        return cache.pixels(
                file,
                imageKey,
                bytes ->
                        images.process(
                                ImageSource.of(file.toString(), bytes), new SplittableRandom(0)));
    }

    private Features audio(String input, long sampleSeed) throws IOException {
        byte[] held = media.get(input);
        Path file = held == null ? Path.of(input) : null;
        if (held != null || !audioAugmentation.isEmpty()) {
            Waveform clip = audioLoader.load(held != null ? held : Files.readAllBytes(file), input);
            SplittableRandom random = new SplittableRandom(sampleSeed ^ 0x5EEDL);
            for (WaveformAugmentation a : audioAugmentation) {
                clip = a.apply(clip, random);
            }
            return audioFeatures(clip);
        }
        return cache.logMel(
                file, audioKey, bytes -> audioFeatures(audioLoader.load(bytes, file.toString())));
    }
}
