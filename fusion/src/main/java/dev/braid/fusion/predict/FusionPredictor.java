package dev.braid.fusion.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadKindPlugins;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.data.UnreadableInputException;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.generate.TokenListener;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.image.DecodeOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Predicts one sample at a time with a saved model: {@code predict(text, imageBytes, audioBytes)},
 * any of them null.
 *
 * <p>Safe to call from many threads at once: the model's weights are only read, and every call
 * works in its own {@code NDManager}, closed when the call returns. A bad input gives an {@code
 * UnreadableInputException} naming the modality and the reason, and the predictor stays usable.
 *
 * <pre>{@code
 * try (FusionPredictor predictor = FusionPredictor.load(Path.of("runs/avmnist/model"))) {
 *     Prediction p = predictor.predict(null, Files.readAllBytes(png), Files.readAllBytes(wav));
 *     System.out.println(p.heads().get("label").label());
 * }
 * }</pre>
 */
public final class FusionPredictor implements AutoCloseable {

    private static final Path REQUEST = Path.of("request");

    private final NDManager manager;
    private final FusionModel model;
    private final FeatureExtractor extractor;
    private final TextFeatures textModel; // the frozen text model this predictor opened, or null
    private final Collator collator;
    private final TaskSchema schema;
    private final Tokenizer tokenizer;
    private final ReplyHead replyHead; // null: the model has no generation head

    private FusionPredictor(
            NDManager manager,
            FusionModel model,
            FeatureExtractor extractor,
            TaskSchema schema,
            TextFeatures textModel,
            Tokenizer tokenizer,
            ReplyHead replyHead) {
        this.manager = manager;
        this.textModel = textModel;
        this.model = model;
        this.extractor = extractor;
        this.collator = Collator.of(schema, extractor);
        this.schema = schema;
        this.tokenizer = tokenizer;
        this.replyHead = replyHead;
    }

    /**
     * Loads the model saved in {@code dir} (see {@link ModelDirectory}).
     *
     * @throws IOException naming the file if the directory is incomplete or does not fit
     */
    public static FusionPredictor load(Path dir) throws IOException {
        return load(dir, DecodeOptions.defaults());
    }

    /**
     * Loads the model saved in {@code dir}, decoding images with {@code decoding}: its limits, and
     * the names its refusals give them.
     *
     * @throws IOException naming the file if the directory is incomplete or does not fit
     */
    public static FusionPredictor load(Path dir, DecodeOptions decoding) throws IOException {
        ModelDirectory description = ModelDirectory.read(dir);
        Tokenizer tokenizer = description.tokenizer(dir);
        ModelConfig.PretrainedText pretrained = description.config().pretrainedText();
        TextFeatures textModel = null;
        NDManager manager = NDManager.newBaseManager();
        try {
            FusionModel model = description.loadModel(dir, manager);
            FeatureExtractor extractor =
                    FeatureExtractor.of(tokenizer, description.features()).withDecoding(decoding);
            if (pretrained != null) {
                textModel = pretrained.features().open();
                extractor = extractor.withTextFeatures(textModel);
            }
            ReplyHead replyHead = replyHead(dir, manager, model, description.features());
            return new FusionPredictor(
                    manager,
                    model,
                    extractor,
                    description.schema(),
                    textModel,
                    tokenizer,
                    replyHead);
        } catch (IOException | RuntimeException e) {
            manager.close();
            if (textModel != null) {
                textModel.close();
            }
            throw e;
        }
    }

    /**
     * The generation head that writes replies: the model's own (its first by name, if it has
     * several), else one a model directory of an earlier Braid keeps beside the model ({@link
     * ReplyFiles}); null if there is none.
     */
    public static ReplyHead replyHead(
            Path dir, NDManager manager, FusionModel model, FeatureSettings features)
            throws IOException {
        if (!model.replyHeads().isEmpty()) {
            return model.replyHeads().values().iterator().next();
        }
        return ReplyFiles.exists(dir) ? ReplyFiles.load(dir, manager, model, features) : null;
    }

    /** The model's heads and their classes. */
    public TaskSchema schema() {
        return schema;
    }

    /** The modalities the model reads; others given to {@link #predict} are ignored. */
    public List<Modality> modalities() {
        return model.config().modalities();
    }

    /**
     * Predicts every head for one sample.
     *
     * @param text the message, or null
     * @param image an encoded image (PNG, JPEG, BMP, WebP), or null
     * @param audio a WAV file's bytes, or null
     * @throws UnreadableInputException if an input cannot be decoded (it names the modality and the
     *     reason)
     * @throws IllegalArgumentException if none of the inputs the model reads is given
     */
    public Prediction predict(String text, byte[] image, byte[] audio) {
        Map<Modality, byte[]> inputs = new TreeMap<>();
        if (text != null) {
            inputs.put(Modality.TEXT, text.getBytes(StandardCharsets.UTF_8));
        }
        if (image != null) {
            inputs.put(Modality.IMAGE, image);
        }
        if (audio != null) {
            inputs.put(Modality.AUDIO, audio);
        }
        return predict(inputs);
    }

    /**
     * Predicts every head for one sample given as raw inputs by modality: text as UTF-8, an image
     * or a WAV file as its bytes. Modalities the model does not read are ignored.
     *
     * @throws UnreadableInputException if an input cannot be decoded (it names the modality and the
     *     reason), or if the text is not valid UTF-8
     * @throws IllegalArgumentException if none of the inputs the model reads is given
     */
    public Prediction predict(Map<Modality, byte[]> inputs) {
        return predict(List.of(features(inputs))).get(0);
    }

    /**
     * Decodes and preprocesses one sample's raw inputs, as {@link #predict(Map)} does first: for
     * callers that predict many samples in batches and must know which of them do not decode.
     *
     * @throws UnreadableInputException if an input cannot be decoded (it names the modality and the
     *     reason), or if the text is not valid UTF-8
     * @throws IllegalArgumentException if none of the inputs the model reads is given
     */
    public SampleFeatures features(Map<Modality, byte[]> inputs) {
        List<Modality> reads = modalities();
        String text = reads.contains(Modality.TEXT) ? utf8(inputs.get(Modality.TEXT)) : null;
        byte[] image = reads.contains(Modality.IMAGE) ? inputs.get(Modality.IMAGE) : null;
        byte[] audio = reads.contains(Modality.AUDIO) ? inputs.get(Modality.AUDIO) : null;
        Map<Modality, byte[]> others = new TreeMap<>();
        inputs.forEach(
                (m, bytes) -> {
                    if (!m.builtIn() && reads.contains(m) && bytes != null) {
                        others.put(m, bytes);
                    }
                });
        if (text == null && image == null && audio == null && others.isEmpty()) {
            throw new IllegalArgumentException(
                    "the model reads " + reads + " but none of them was given");
        }
        SampleFeatures features = extractor.extract(text, image, audio, others);
        if (features.present().isEmpty()) {
            throw new IllegalArgumentException(
                    "the model reads " + reads + " but none of them was given");
        }
        return features;
    }

    /**
     * Predicts every head for a batch of preprocessed samples (see {@link #features}) in one
     * forward pass; answers in the order given. Each answer equals the one-sample call's up to
     * float rounding (text and audio are padded to the batch's longest and masked).
     *
     * @throws IllegalArgumentException if {@code samples} is empty
     */
    public List<Prediction> predict(List<SampleFeatures> samples) {
        Batch batch = collate(samples);
        try (NDManager call = manager.newSubManager()) {
            Map<String, NDArray> logits =
                    model.predict(new ParameterStore(call, false), inputs(batch, call), false);
            List<Map<String, Prediction.HeadPrediction>> heads = new ArrayList<>();
            samples.forEach(s -> heads.add(new LinkedHashMap<>()));
            logits.forEach(
                    (name, values) -> {
                        int width = (int) values.getShape().get(1);
                        float[] all = values.toFloatArray(); // (B, C)
                        for (int i = 0; i < samples.size(); i++) {
                            float[] row = new float[width];
                            System.arraycopy(all, i * width, row, 0, width);
                            heads.get(i).put(name, answer(schema.head(name), row));
                        }
                    });
            return heads.stream().map(Prediction::new).toList();
        }
    }

    /**
     * The pooled embeddings (fused, and of each modality a sample has) of a batch of preprocessed
     * samples, in the order given.
     *
     * @throws IllegalArgumentException if {@code samples} is empty
     */
    public List<Embedding> embed(List<SampleFeatures> samples) {
        Batch batch = collate(samples);
        try (NDManager call = manager.newSubManager()) {
            FusionModel.Embeddings out =
                    model.embed(new ParameterStore(call, false), inputs(batch, call));
            List<float[]> fused = rows(out.fused());
            Map<Modality, List<float[]>> byModality = new TreeMap<>();
            out.modalities().forEach((m, values) -> byModality.put(m, rows(values)));
            List<Embedding> embeddings = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Map<Modality, float[]> own = new TreeMap<>();
                for (Modality m : samples.get(i).present()) {
                    if (byModality.containsKey(m)) {
                        own.put(m, byModality.get(m).get(i));
                    }
                }
                embeddings.add(new Embedding(fused.get(i), own));
            }
            return embeddings;
        }
    }

    private Batch collate(List<SampleFeatures> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to predict");
        }
        List<Sample> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Map<Modality, String> given = new TreeMap<>();
            samples.get(i).present().forEach(m -> given.put(m, m.name()));
            rows.add(
                    new Sample(
                            i,
                            new ManifestEntry(
                                    REQUEST, i + 1, "request", given, Map.of(), Split.TEST)));
        }
        return collator.collate(rows, samples);
    }

    private Map<Modality, NDList> inputs(Batch batch, NDManager call) {
        Map<Modality, NDList> byModality = new TreeMap<>();
        for (Modality m : modalities()) {
            byModality.put(m, batch.input(m, call));
        }
        return byModality;
    }

    /** The rows of a {@code [B, D]} array. */
    private static List<float[]> rows(NDArray values) {
        int width = (int) values.getShape().get(1);
        float[] all = values.toFloatArray();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < all.length / width; i++) {
            float[] row = new float[width];
            System.arraycopy(all, i * width, row, 0, width);
            out.add(row);
        }
        return out;
    }

    /** Whether the model has a generation head, so that {@link #reply} can suggest a reply. */
    public boolean generates() {
        return replyHead != null;
    }

    /**
     * A generated reply and every head's prediction for one sample.
     *
     * @param prediction the heads' answers, as {@link #predict} gives them
     * @param reply the generated reply
     */
    public record Reply(Prediction prediction, Generated reply) {}

    /**
     * Predicts every head and generates a reply for one sample given as raw inputs by modality (as
     * {@link #predict(Map)} takes them), telling {@code listener} each token as it is chosen. Give
     * {@code config} {@code [SEP]} ({@code tokenizer.specialTokens().sep()}) as a stop token, or
     * the reply runs to its maximum length.
     *
     * @throws IllegalStateException if the model has no generation head ({@link #generates})
     * @throws UnreadableInputException if an input cannot be decoded
     * @throws IllegalArgumentException if none of the inputs the model reads is given
     */
    public Reply reply(
            Map<Modality, byte[]> inputs, GenerationConfig config, TokenListener listener) {
        if (replyHead == null) {
            throw new IllegalStateException(
                    "the model has no generation head: train it with a head declared"
                            + " GENERATION (model.heads in the run's configuration)");
        }
        SampleFeatures features = features(inputs);
        ReplyDecoding.Result result =
                ReplyDecoding.generate(
                        model,
                        replyHead,
                        tokenizer,
                        collate(List.of(features)),
                        config,
                        manager,
                        listener);
        return new Reply(predict(List.of(features)).get(0), result.replies().get(0));
    }

    /** The tokenizer of the model's text, which its generation head also writes with. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableInputException(Modality.TEXT, "the text is not valid UTF-8", e);
        }
    }

    private static Prediction.HeadPrediction answer(HeadSpec head, float[] logits) {
        if (!head.kind().builtIn()) {
            return HeadKindPlugins.of(head.kind()).answer(head, logits);
        }
        if (head.kind().equals(HeadKind.REGRESSION)) {
            return new Prediction.HeadPrediction(String.valueOf(logits[0]), List.of(), logits[0]);
        }
        double[] p = new double[logits.length];
        if (head.kind().equals(HeadKind.CLASSIFICATION)) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.exp(logits[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= sum;
            }
        } else {
            for (int i = 0; i < p.length; i++) {
                p[i] = 1 / (1 + Math.exp(-logits[i]));
            }
        }
        List<Prediction.Scored> scores = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            scores.add(new Prediction.Scored(head.classes().get(i), p[i]));
        }
        scores.sort(Comparator.comparingDouble(Prediction.Scored::probability).reversed());
        String label =
                head.kind().equals(HeadKind.CLASSIFICATION)
                        ? scores.get(0).label()
                        : String.join(
                                ",",
                                scores.stream()
                                        .filter(s -> s.probability() > 0.5)
                                        .map(Prediction.Scored::label)
                                        .toList());
        return new Prediction.HeadPrediction(label, scores, scores.get(0).probability());
    }

    @Override
    public void close() {
        manager.close();
        if (textModel != null) {
            textModel.close();
        }
    }
}
