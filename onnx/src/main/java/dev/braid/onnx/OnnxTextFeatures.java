package dev.braid.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.data.TextFeaturesSpec;
import dev.braid.text.tokenize.HuggingFaceTextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Frozen ONNX sentence models as text features: one model, or two combined, English and Chinese.
 *
 * <p>Every model gets its own block of columns, so the vectors are {@code [T][H_1 + H_2 + ...]}:
 * with {@link Combination#BY_SCRIPT} a message goes to one model (the second if it has a Han
 * character, the first otherwise) and the other blocks are zero; with {@link
 * Combination#CONCATENATED} it goes to every model and their tokens follow each other (T is the
 * sum). One linear adapter over those columns is then one adapter per model.
 *
 * <p>A model is named ({@link ReadyTextModel}) or a file, with the {@code tokenizer.json} it was
 * trained with next to it. {@link #spec()} records each model's name or absolute path and the
 * SHA-256 of its bytes; opening a recorded spec refuses a file whose bytes changed.
 */
public final class OnnxTextFeatures implements TextFeatures {

    /** The {@link TextFeaturesSpec#kind()} of these features. */
    public static final String KIND = "onnx";

    /** The tokenizer a model file is read with: this name, in the model's folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How several models read one message. */
    public enum Combination {
        /** Every model reads it; their tokens follow each other. */
        CONCATENATED,
        /** The second model reads it if it has a Han character, the first otherwise. */
        BY_SCRIPT
    }

    /**
     * Where one model comes from.
     *
     * @param name a {@link ReadyTextModel#label()}, or null for a file
     * @param path the {@code .onnx} file, or null for a ready-made model
     * @param sha256 the SHA-256 its bytes must have, or null to take them as they are
     */
    public record Source(String name, String path, String sha256) {

        public Source {
            if ((name == null) == (path == null)) {
                throw new IllegalArgumentException(
                        "a model source has a name or a path, exactly one (name: "
                                + name
                                + ", path: "
                                + path
                                + ")");
            }
        }

        /** A ready-made model. */
        public static Source ready(ReadyTextModel model) {
            return new Source(model.label(), null, null);
        }

        /** A model file, with {@value #TOKENIZER_FILE} beside it. */
        public static Source file(Path onnx) {
            return new Source(null, onnx.toAbsolutePath().normalize().toString(), null);
        }
    }

    private final List<Source> sources;
    private final List<OnnxSentenceModel> models;
    private final Combination combination;
    private final int[] offsets;
    private final int width;

    private OnnxTextFeatures(
            List<Source> sources, List<OnnxSentenceModel> models, Combination combination) {
        this.sources = List.copyOf(sources);
        this.models = List.copyOf(models);
        this.combination = combination;
        offsets = new int[models.size()];
        int w = 0;
        for (int i = 0; i < models.size(); i++) {
            offsets[i] = w;
            w += models.get(i).width();
        }
        width = w;
    }

    /**
     * The text encoder a run configuration names: {@code minilm-en}, {@code bge-small-zh}, {@code
     * bilingual} (both, one chosen by script per message), {@code bilingual-both} (both read every
     * message), or the path of an {@code .onnx} file with {@value #TOKENIZER_FILE} beside it.
     *
     * @throws IOException naming the file if a model cannot be read or run
     * @throws IllegalArgumentException if {@code name} is none of these
     */
    public static OnnxTextFeatures named(String name) throws IOException {
        List<Source> bilingual =
                List.of(
                        Source.ready(ReadyTextModel.MINILM_EN),
                        Source.ready(ReadyTextModel.BGE_SMALL_ZH));
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "bilingual" -> open(bilingual, Combination.BY_SCRIPT);
            case "bilingual-both" -> open(bilingual, Combination.CONCATENATED);
            default ->
                    name.endsWith(".onnx")
                            ? open(List.of(Source.file(Path.of(name))), Combination.BY_SCRIPT)
                            : open(
                                    List.of(Source.ready(ReadyTextModel.of(name))),
                                    Combination.BY_SCRIPT);
        };
    }

    /**
     * Opens the models of {@code sources}, combined by {@code combination}.
     *
     * @throws IOException naming the file if a model or its tokenizer is missing, unreadable, not a
     *     model Braid can run, or not the bytes a source's SHA-256 records
     * @throws IllegalArgumentException if {@code BY_SCRIPT} is given more than two models
     */
    public static OnnxTextFeatures open(List<Source> sources, Combination combination)
            throws IOException {
        if (sources.isEmpty() || (combination == Combination.BY_SCRIPT && sources.size() > 2)) {
            throw new IllegalArgumentException(
                    combination
                            + " takes 1 to "
                            + (combination == Combination.BY_SCRIPT ? 2 : "n")
                            + " models, not "
                            + sources.size());
        }
        List<Source> recorded = new ArrayList<>();
        List<OnnxSentenceModel> models = new ArrayList<>();
        try {
            for (Source source : sources) {
                Loaded loaded = read(source);
                recorded.add(new Source(source.name(), source.path(), loaded.sha256()));
                models.add(
                        OnnxSentenceModel.load(loaded.file(), loaded.model(), loaded.tokenizer()));
            }
        } catch (IOException | RuntimeException e) {
            models.forEach(OnnxSentenceModel::close);
            throw e;
        }
        return new OnnxTextFeatures(recorded, models, combination);
    }

    /** Opens what {@link #spec()} recorded ({@link TextFeaturesSpec#settings()}). */
    static OnnxTextFeatures open(JsonNode settings) throws IOException {
        List<Source> sources = new ArrayList<>();
        for (JsonNode model : settings.path("models")) {
            sources.add(JSON.treeToValue(model, Source.class));
        }
        return open(sources, Combination.valueOf(settings.path("combination").asText()));
    }

    private record Loaded(
            String file, byte[] model, HuggingFaceTextTokenizer tokenizer, String sha256) {}

    private static Loaded read(Source source) throws IOException {
        String file;
        byte[] model;
        HuggingFaceTextTokenizer tokenizer;
        if (source.name() != null) {
            ReadyTextModel ready = ReadyTextModel.of(source.name());
            file = ready.modelName();
            model = ready.model();
            tokenizer = tokenizer(ready.tokenizer(), file);
        } else {
            Path onnx = Path.of(source.path());
            file = onnx.toString();
            if (!Files.isRegularFile(onnx)) {
                throw new IOException(file + ": no such ONNX model file");
            }
            model = Files.readAllBytes(onnx);
            Path json = onnx.resolveSibling(TOKENIZER_FILE);
            if (!Files.isRegularFile(json)) {
                throw new IOException(
                        json + ": no such file; the tokenizer of " + file + " must be beside it");
            }
            tokenizer = HuggingFaceTextTokenizer.load(json);
        }
        String sha256 = sha256(model);
        if (source.sha256() != null && !source.sha256().equals(sha256)) {
            throw new IOException(
                    file
                            + ": its SHA-256 is "
                            + sha256
                            + " but the model was trained with "
                            + source.sha256()
                            + "; restore that file");
        }
        return new Loaded(file, model, tokenizer, sha256);
    }

    /** A tokenizer from a resource's bytes (DJL's binding reads a file). */
    private static HuggingFaceTextTokenizer tokenizer(byte[] json, String model)
            throws IOException {
        Path temp = Files.createTempFile("braid-tokenizer", ".json");
        try {
            Files.write(temp, json);
            return HuggingFaceTextTokenizer.load(temp);
        } catch (IOException e) {
            throw new IOException("the tokenizer of " + model + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[][] vectors(String text, int maxLength) {
        if (combination == Combination.BY_SCRIPT) {
            int i = models.size() > 1 && hasHan(text) ? 1 : 0;
            return placed(models.get(i).vectors(text, maxLength), i);
        }
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            rows.addAll(List.of(placed(models.get(i).vectors(text, maxLength), i)));
        }
        return rows.toArray(new float[0][]);
    }

    /** Model {@code i}'s vectors in its block of columns, zeros elsewhere. */
    private float[][] placed(float[][] vectors, int i) {
        if (models.size() == 1) {
            return vectors;
        }
        float[][] out = new float[vectors.length][width];
        for (int t = 0; t < vectors.length; t++) {
            System.arraycopy(vectors[t], 0, out[t], offsets[i], vectors[t].length);
        }
        return out;
    }

    private static boolean hasHan(String text) {
        return text.codePoints()
                .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    @Override
    public String cacheKey() {
        return settings().toString();
    }

    @Override
    public TextFeaturesSpec spec() {
        return new TextFeaturesSpec(KIND, settings());
    }

    private ObjectNode settings() {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("combination", combination.name());
        ArrayNode list = settings.putArray("models");
        sources.forEach(s -> list.add(JSON.valueToTree(s)));
        return settings;
    }

    @Override
    public void close() {
        models.forEach(OnnxSentenceModel::close);
    }
}
