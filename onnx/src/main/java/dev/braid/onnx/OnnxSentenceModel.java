package dev.braid.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.braid.text.tokenize.HuggingFaceTextTokenizer;
import dev.braid.text.tokenize.SpecialTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * One BERT-style sentence model in ONNX form, run by DJL's ONNX Runtime engine, with the tokenizer
 * it was trained with: a text becomes {@code [CLS] tokens [SEP]} and then the model's last hidden
 * state, one vector of width H a token.
 *
 * <p>Each text runs alone, unpadded (inputs {@code input_ids}, {@code attention_mask}, {@code
 * token_type_ids}, all {@code int64 [1, T]}; output 0 is {@code [1, T, H]}), so a text's vectors do
 * not depend on the other texts of a batch, and ONNX Runtime uses one thread so they are the same
 * bits on every run. Thread-safe.
 */
final class OnnxSentenceModel implements AutoCloseable {

    private final String name;
    private final Model model;
    private final HuggingFaceTextTokenizer tokenizer;
    private final int width;

    private OnnxSentenceModel(
            String name, Model model, HuggingFaceTextTokenizer tokenizer, int width) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.width = width;
    }

    /**
     * Loads a model from its file's bytes.
     *
     * @param name the file, for messages
     * @param bytes the {@code .onnx} file
     * @param tokenizer its tokenizer
     * @throws IOException naming {@code name} if the bytes are not an ONNX model this code can run
     */
    static OnnxSentenceModel load(String name, byte[] bytes, HuggingFaceTextTokenizer tokenizer)
            throws IOException {
        Model model = Model.newInstance(name, Device.cpu(), "OnnxRuntime");
        try {
            model.load(
                    new ByteArrayInputStream(bytes),
                    Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1"));
            OnnxSentenceModel loaded = new OnnxSentenceModel(name, model, tokenizer, 0);
            // one short text finds the width and proves the model takes BERT's inputs
            int width = loaded.run(new long[] {tokenizer.specialTokens().cls()})[0].length;
            return new OnnxSentenceModel(name, model, tokenizer, width);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException(
                    name + ": not an ONNX sentence model Braid can run: " + e.getMessage(), e);
        } catch (IOException e) {
            model.close();
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** The width H of its vectors. */
    int width() {
        return width;
    }

    /** The model's vectors for {@code text}: {@code [T][H]}, T at most {@code maxLength}. */
    float[][] vectors(String text, int maxLength) {
        SpecialTokens special = tokenizer.specialTokens();
        int[] tokens = tokenizer.encode(text, Math.max(0, maxLength - 2));
        long[] ids = new long[tokens.length + 2];
        ids[0] = special.cls();
        for (int t = 0; t < tokens.length; t++) {
            ids[t + 1] = tokens[t];
        }
        ids[ids.length - 1] = special.sep();
        return run(ids);
    }

    private float[][] run(long[] ids) {
        Block block = model.getBlock();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(1, ids.length); // (1, T)
            long[] ones = new long[ids.length];
            Arrays.fill(ones, 1);
            NDArray inputIds = manager.create(ids, shape);
            inputIds.setName("input_ids");
            NDArray attention = manager.create(ones, shape);
            attention.setName("attention_mask");
            NDArray types = manager.create(new long[ids.length], shape);
            types.setName("token_type_ids");
            NDList out =
                    block.forward(
                            new ParameterStore(manager, false),
                            new NDList(inputIds, attention, types),
                            false);
            NDArray hidden = out.get(0); // (1, T, H)
            if (hidden.getShape().dimension() != 3 || hidden.getShape().get(1) != ids.length) {
                throw new IllegalStateException(
                        name
                                + ": output 0 has shape "
                                + hidden.getShape()
                                + ", expected [1, "
                                + ids.length
                                + ", H]");
            }
            int h = (int) hidden.getShape().get(2);
            float[] flat = hidden.toFloatArray();
            float[][] vectors = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) {
                vectors[t] = Arrays.copyOfRange(flat, t * h, (t + 1) * h);
            }
            return vectors;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
