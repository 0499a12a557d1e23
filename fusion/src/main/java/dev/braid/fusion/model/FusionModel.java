package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.audio.encoder.SpectrogramEncoder;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugins;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.vision.encoder.CnnImageEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole fusion model: one encoder per modality it reads, a {@link FusionBlock}, and task heads: a
 * {@link TaskHead} on the fused vectors for each classification, multi-label, regression or plug-in
 * head, a {@link ReplyHead} on the encoders' tokens for each generation head.
 *
 * <p>Input: for each modality of {@link ModelConfig#modalities()}, in enum order, two arrays —
 *
 * <ul>
 *   <li>text: {@code ids int64 [B, T]}, {@code mask boolean [B, T]};
 *   <li>image: {@code pixels float [B, C, H, W]}, {@code present boolean [B]};
 *   <li>audio: {@code logMel float [B, M, F]}, {@code lengths int32 [B]} (0 = absent).
 * </ul>
 *
 * Output: {@code NDList(logits_1 [B, C_1], ...)}, one per head in {@link ModelConfig#heads()}
 * order, generation heads left out: a generation head writes token by token from the memory {@link
 * #predictWithTokens} gives it ({@link #replyHeads}). Use {@link #inputs} to flatten an {@code Map}
 * of per-modality inputs.
 */
public final class FusionModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ModelConfig config;
    private final TreeMap<Modality, Block> encoders = new TreeMap<>();
    private final FusionBlock fusion;
    private final List<TaskHead> heads = new ArrayList<>();
    private final TreeMap<String, ReplyHead> replyHeads = new TreeMap<>();

    /** A model whose encoders are built from {@code config}. */
    public FusionModel(ModelConfig config) {
        this(config, Map.of());
    }

    /**
     * A model with some encoders given: any {@code Block} that honours the encoder contract (its
     * modality's two batch arrays in, {@code (tokens [B, T, D], mask [B, T])} out, D the width
     * {@code config} gives that modality), e.g. a pre-trained one; already initialised encoders
     * keep their weights. The others are built from {@code config}.
     *
     * @throws IllegalArgumentException if an encoder is given for a modality {@code config} does
     *     not read
     */
    public FusionModel(ModelConfig config, Map<Modality, Block> given) {
        super(VERSION);
        this.config = config;
        for (Modality m : given.keySet()) {
            if (!config.modalities().contains(m)) {
                throw new IllegalArgumentException(
                        "an encoder is given for "
                                + m
                                + " but the model reads only "
                                + config.modalities());
            }
        }
        if (config.readsText()) {
            Block text;
            if (given.containsKey(Modality.TEXT)) {
                text = given.get(Modality.TEXT);
            } else if (config.text() != null) {
                text = new TransformerTextEncoder(config.text());
            } else if (config.torchScriptText() != null) {
                text = new TorchScriptTextEncoder(config.torchScriptText());
            } else {
                text = new TextAdapter(config.pretrainedText().width());
            }
            encoders.put(Modality.TEXT, addChildBlock("textEncoder", text));
        }
        if (config.image() != null) {
            encoders.put(
                    Modality.IMAGE,
                    addChildBlock(
                            "imageEncoder",
                            given.getOrDefault(
                                    Modality.IMAGE, new CnnImageEncoder(config.image()))));
        }
        if (config.audio() != null) {
            encoders.put(
                    Modality.AUDIO,
                    addChildBlock(
                            "audioEncoder",
                            given.getOrDefault(
                                    Modality.AUDIO, new SpectrogramEncoder(config.audio()))));
        }
        for (ModelConfig.PluginInput input : config.plugins()) {
            Modality m = input.modality();
            Block encoder =
                    given.containsKey(m)
                            ? given.get(m)
                            : ModalityPlugins.of(m, input.plugin()).encoder(input.width());
            encoders.put(m, addChildBlock(m.field() + "Encoder", encoder));
        }
        fusion = addChildBlock("fusion", FusionBlock.create(config.fusion(), config.modalities()));
        for (HeadSpec spec : config.heads()) {
            if (spec.generates()) {
                ReplyHeadConfig reply = config.replyHeads().get(spec.name());
                replyHeads.put(
                        spec.name(),
                        addChildBlock(
                                "head_" + spec.name(),
                                new ReplyHead(reply.decoder(), reply.memory(), reply.source())));
            } else {
                heads.add(
                        addChildBlock(
                                "head_" + spec.name(),
                                new TaskHead(spec, config.fusion().width())));
            }
        }
    }

    /** The decoder of each generation head, by head name; empty if the model has none. */
    public Map<String, ReplyHead> replyHeads() {
        return java.util.Collections.unmodifiableMap(replyHeads);
    }

    public ModelConfig config() {
        return config;
    }

    /** The encoder of one modality, for freezing or inspection. */
    public Block encoder(Modality modality) {
        return encoders.get(modality);
    }

    /** The fusion block. */
    public FusionBlock fusion() {
        return fusion;
    }

    /**
     * Flattens per-modality inputs into this model's input order.
     *
     * @throws IllegalArgumentException if a modality the model reads is missing
     */
    public NDList inputs(Map<Modality, NDList> byModality) {
        NDList out = new NDList();
        for (Modality m : config.modalities()) {
            NDList pair = byModality.get(m);
            if (pair == null || pair.size() != 2) {
                throw new IllegalArgumentException(
                        "the model reads " + m + " but the batch has no " + m + " input pair");
            }
            out.addAll(pair);
        }
        return out;
    }

    /** Runs the model and names each head's logits. */
    public Map<String, NDArray> predict(
            ParameterStore store, Map<Modality, NDList> byModality, boolean training) {
        NDList logits = forward(store, inputs(byModality), training);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) {
            out.put(heads.get(i).spec().name(), logits.get(i));
        }
        return out;
    }

    /**
     * The heads' logits and each modality's own embedding (see {@link FusionBlock#embeddings}), for
     * training with an alignment loss.
     *
     * @param logits each head's output, by name
     * @param embeddings each modality's vector {@code [B, D]}
     * @param present whether each sample has the modality, float {@code [B]}
     * @param tokens each modality's encoder output {@code (tokens, mask)}, the generation heads'
     *     memory
     * @param fused the fusion's output {@code (vectors [B, K, D], weights [B, K])}, the memory of a
     *     generation head that reads it
     */
    public record Outputs(
            Map<String, NDArray> logits,
            Map<Modality, NDArray> embeddings,
            Map<Modality, NDArray> present,
            Map<Modality, NDList> tokens,
            NDList fused) {}

    /** Runs the model and also returns each modality's embedding. */
    public Outputs predictWithEmbeddings(
            ParameterStore store, Map<Modality, NDList> byModality, boolean training) {
        NDList encoded = encode(store, inputs(byModality), training);
        NDList fused = fusion.forward(store, encoded, training);
        NDList logits = heads(store, fused, training);
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) {
            named.put(heads.get(i).spec().name(), logits.get(i));
        }
        NDList embedded = fusion.embeddings(store, encoded, training);
        Map<Modality, NDArray> embeddings = new TreeMap<>();
        Map<Modality, NDArray> present = new TreeMap<>();
        List<Modality> modalities = config.modalities();
        for (int i = 0; i < modalities.size(); i++) {
            embeddings.put(modalities.get(i), embedded.get(2 * i));
            present.put(modalities.get(i), embedded.get(2 * i + 1));
        }
        return new Outputs(named, embeddings, present, tokens(encoded), fused);
    }

    /**
     * A batch's pooled embeddings, for search or clustering: the fused one is the fusion's vectors
     * averaged by their weights: the vector the heads read when the fusion gives one (latent,
     * early, gated unit), else the weighted mean of the K vectors whose answers the heads average
     * (pairwise, gated, late); each modality's is its own vector before fusion ({@link
     * FusionBlock#embeddings}).
     *
     * @param fused {@code [B, D]}; zeros for a sample with no modality
     * @param modalities each modality's {@code [B, D]}; zeros where the sample lacks it
     * @param present whether each sample has each modality, float {@code [B]}
     */
    public record Embeddings(
            NDArray fused, Map<Modality, NDArray> modalities, Map<Modality, NDArray> present) {}

    /** Runs the encoders and the fusion, not the heads, in inference mode. */
    public Embeddings embed(ParameterStore store, Map<Modality, NDList> byModality) {
        NDList encoded = encode(store, inputs(byModality), false);
        NDList fused = fusion.forward(store, encoded, false);
        NDArray share = FusionBlock.shares(fused.get(1)); // (B, K)
        NDArray pooled = fused.get(0).mul(share.expandDims(2)).sum(new int[] {1}); // (B, D)
        NDList embedded = fusion.embeddings(store, encoded, false);
        Map<Modality, NDArray> modalities = new TreeMap<>();
        Map<Modality, NDArray> present = new TreeMap<>();
        List<Modality> reads = config.modalities();
        for (int i = 0; i < reads.size(); i++) {
            modalities.put(reads.get(i), embedded.get(2 * i));
            present.put(reads.get(i), embedded.get(2 * i + 1));
        }
        return new Embeddings(pooled, modalities, present);
    }

    /**
     * The heads' logits and each modality's encoder output, from one pass of the encoders: what a
     * {@link ReplyHead} reads as its memory.
     *
     * @param logits each head's output, by name
     * @param tokens each modality's {@code (tokens [B, T_m, D_m], mask [B, T_m])}, in enum order
     * @param fused the fusion's output {@code (vectors [B, K, D], weights [B, K])}
     */
    public record Encoded(
            Map<String, NDArray> logits, Map<Modality, NDList> tokens, NDList fused) {}

    /** Runs the model and also returns each modality's encoder tokens. */
    public Encoded predictWithTokens(
            ParameterStore store, Map<Modality, NDList> byModality, boolean training) {
        NDList encoded = encode(store, inputs(byModality), training);
        NDList fused = fusion.forward(store, encoded, training);
        NDList logits = heads(store, fused, training);
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) {
            named.put(heads.get(i).spec().name(), logits.get(i));
        }
        return new Encoded(named, tokens(encoded), fused);
    }

    /** {@code NDList(tokens_1, mask_1, ...)} by modality. */
    private Map<Modality, NDList> tokens(NDList encoded) {
        Map<Modality, NDList> tokens = new TreeMap<>();
        List<Modality> modalities = config.modalities();
        for (int i = 0; i < modalities.size(); i++) {
            tokens.put(modalities.get(i), new NDList(encoded.get(2 * i), encoded.get(2 * i + 1)));
        }
        return tokens;
    }

    /** The shape of the fusion's output vectors {@code [B, K, D]} for the model's input shapes. */
    public Shape fusionShape(Shape[] inputShapes) {
        List<Shape> encoded = new ArrayList<>();
        encoderShapes(inputShapes).values().forEach(s -> encoded.addAll(List.of(s[0], s[1])));
        return fusion.getOutputShapes(encoded.toArray(new Shape[0]))[0];
    }

    /** The output shapes of each modality's encoder for the model's input shapes, in enum order. */
    public Map<Modality, Shape[]> encoderShapes(Shape[] inputShapes) {
        Map<Modality, Shape[]> out = new TreeMap<>();
        int i = 0;
        for (Modality m : config.modalities()) {
            Shape[] in = {inputShapes[i++], inputShapes[i++]};
            out.put(m, encoders.get(m).getOutputShapes(in));
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return heads(
                store, fusion.forward(store, encode(store, inputs, training), training), training);
    }

    private NDList heads(ParameterStore store, NDList fused, boolean training) {
        NDList logits = new NDList();
        for (TaskHead head : heads) {
            logits.add(head.forward(store, fused, training).singletonOrThrow());
        }
        return logits;
    }

    /** Runs each modality's encoder: {@code NDList(tokens_1, mask_1, ...)}. */
    private NDList encode(ParameterStore store, NDList inputs, boolean training) {
        NDList fusionInputs = new NDList();
        int i = 0;
        for (Modality m : config.modalities()) {
            NDArray first = inputs.get(i++);
            NDArray second = inputs.get(i++);
            NDList encoded = encoders.get(m).forward(store, new NDList(first, second), training);
            fusionInputs.add(encoded.get(0));
            fusionInputs.add(encoded.get(1));
        }
        return fusionInputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return heads.stream().map(h -> new Shape(batch, h.spec().outputs())).toArray(Shape[]::new);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        List<Shape> fusionShapes = new ArrayList<>();
        Map<Modality, Shape[]> encoded = new TreeMap<>();
        int i = 0;
        for (Modality m : config.modalities()) {
            Shape first = inputShapes[i++];
            Shape second = inputShapes[i++];
            Block encoder = encoders.get(m);
            Shape[] in = {first, second};
            encoder.initialize(manager, dataType, in);
            Shape[] out = encoder.getOutputShapes(in);
            encoded.put(m, out);
            fusionShapes.add(out[0]);
            fusionShapes.add(out[1]);
        }
        Shape[] fusionIn = fusionShapes.toArray(new Shape[0]);
        fusion.initialize(manager, dataType, fusionIn);
        Shape[] fused = fusion.getOutputShapes(fusionIn);
        for (TaskHead head : heads) {
            head.initialize(manager, dataType, fused);
        }
        for (ReplyHead head : replyHeads.values()) {
            head.initialize(manager, dataType, head.initializationShapes(encoded, fused[0]));
        }
    }
}
