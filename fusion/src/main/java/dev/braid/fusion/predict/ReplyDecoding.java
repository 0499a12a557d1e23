package dev.braid.fusion.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.generate.Generator;
import dev.braid.text.generate.TokenListener;
import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the replies of a collated batch with a model and its {@link ReplyHead}: one encoder
 * pass gives the classification heads' logits and the fused memory, then {@link Generator}
 * continues {@code [CLS]} token by token through the decoder's key/value cache. {@link
 * #greedyWithoutCache} decodes the same batch greedily by a full forward over the sequence so far
 * at every step, the reference the cached path must equal and the cost it saves.
 */
public final class ReplyDecoding {

    /**
     * A batch's replies and the heads' predictions.
     *
     * @param replies per row, what was generated
     * @param classes per classification head, per row, the index of the top class
     */
    public record Result(List<Generated> replies, Map<String, int[]> classes) {}

    private ReplyDecoding() {}

    /**
     * Generates every row's reply; the arrays live in a child of {@code manager}, closed before
     * returning.
     */
    public static Result generate(
            FusionModel model,
            ReplyHead head,
            Tokenizer tokenizer,
            Batch batch,
            GenerationConfig config,
            NDManager manager,
            TokenListener listener) {
        try (NDManager call = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(call, false);
            Map<Modality, NDList> inputs = inputs(model, batch, call);
            FusionModel.Encoded encoded = model.predictWithTokens(store, inputs, false);
            NDList memory = head.memory(store, encoded, inputs, false);
            Map<String, int[]> classes = new LinkedHashMap<>();
            encoded.logits()
                    .forEach(
                            (name, logits) ->
                                    classes.put(
                                            name,
                                            logits.argMax(1)
                                                    .toType(DataType.INT32, false)
                                                    .toIntArray()));
            List<Generated> replies = fromMemory(head, tokenizer, memory, config, call, listener);
            return new Result(replies, classes);
        }
    }

    /**
     * Generates a reply for every row of {@code memory} ({@link ReplyHead#memory}), continuing
     * {@code [CLS]} through the decoder's key/value cache; the arrays live in {@code manager}.
     *
     * @param listener told each token as it is chosen, or null
     */
    public static List<Generated> fromMemory(
            ReplyHead head,
            Tokenizer tokenizer,
            NDList memory,
            GenerationConfig config,
            NDManager manager,
            TokenListener listener) {
        Generator generator =
                Generator.builder()
                        .setDecoder(head.decoder())
                        .setConfig(config)
                        .optTokenizer(tokenizer)
                        .build();
        int rows = Math.toIntExact(memory.get(0).getShape().get(0));
        return generator.generate(
                manager,
                Generator.startPrompts(rows, tokenizer.specialTokens().cls()),
                memory.get(0),
                memory.get(1),
                memory.size() > 2 ? memory.get(2) : null,
                listener == null ? new TokenListener() {} : listener);
    }

    /** The batch's inputs of the modalities {@code model} reads, nothing hidden. */
    public static Map<Modality, NDList> inputs(FusionModel model, Batch batch, NDManager manager) {
        Map<Modality, NDList> out = new java.util.TreeMap<>();
        for (Modality m : model.config().modalities()) {
            out.put(m, batch.input(m, manager));
        }
        return out;
    }

    /**
     * Greedy replies computed without the key/value cache: every step runs the decoder over the
     * whole sequence so far. Stops a row at {@code [SEP]}.
     *
     * @return per row the generated tokens, {@code [SEP]} excluded
     */
    public static List<int[]> greedyWithoutCache(
            FusionModel model,
            ReplyHead head,
            SpecialTokens special,
            Batch batch,
            int maxNewTokens,
            NDManager manager) {
        int rows = batch.size();
        List<List<Integer>> out = new ArrayList<>();
        boolean[] done = new boolean[rows];
        for (int b = 0; b < rows; b++) {
            out.add(new ArrayList<>());
        }
        try (NDManager call = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(call, false);
            Map<Modality, NDList> inputs = inputs(model, batch, call);
            FusionModel.Encoded encoded = model.predictWithTokens(store, inputs, false);
            NDList memory = head.memory(store, encoded, inputs, false);
            int open = rows;
            for (int t = 0; t < maxNewTokens && open > 0; t++) {
                try (NDManager step = call.newSubManager()) {
                    int length = t + 1;
                    long[] ids = new long[rows * length];
                    boolean[] mask = new boolean[rows * length];
                    for (int b = 0; b < rows; b++) {
                        ids[b * length] = special.cls();
                        for (int i = 0; i < t; i++) {
                            List<Integer> row = out.get(b);
                            ids[b * length + 1 + i] = i < row.size() ? row.get(i) : special.pad();
                        }
                        java.util.Arrays.fill(mask, b * length, (b + 1) * length, true);
                    }
                    Shape shape = new Shape(rows, length);
                    NDArray logits =
                            head.forward(
                                            store,
                                            ReplyHead.decoderInput(
                                                    step.create(ids, shape),
                                                    step.create(mask, shape),
                                                    memory),
                                            false)
                                    .singletonOrThrow(); // (B, T, V)
                    int[] next =
                            logits.get(":, -1, :")
                                    .argMax(1)
                                    .toType(DataType.INT32, false)
                                    .toIntArray();
                    for (int b = 0; b < rows; b++) {
                        if (done[b]) {
                            continue;
                        }
                        if (next[b] == special.sep()) {
                            done[b] = true;
                            open--;
                        } else {
                            out.get(b).add(next[b]);
                        }
                    }
                }
            }
        }
        return out.stream().map(r -> r.stream().mapToInt(Integer::intValue).toArray()).toList();
    }
}
