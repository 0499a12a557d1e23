package dev.braid.fusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.fusion.Modality;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.decoder.TransformerDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generation head: a {@link TransformerDecoder} with cross-attention over a fused memory made of
 * every modality's encoder tokens, each projected to the decoder's width by a linear map of its own
 * (so the decoder can tell the modalities apart), concatenated along the length.
 *
 * <p>{@link #memory} input: per modality its encoder output {@code (tokens [B, T_m, D_m], mask [B,
 * T_m])}; output {@code NDList(memory [B, S, D], memoryMask [B, S])}, S = the sum of the T_m. The
 * block's {@code forward} is the decoder's: {@code NDList(ids [B, T], mask [B, T], memory,
 * memoryMask)} → {@code NDList(logits [B, T, V])}.
 *
 * <p>With a decoder that copies ({@code DecoderConfig.copyFromMemory}), the memory also carries
 * each position's token id: the ticket's text token ids at the text positions (the decoder and the
 * text encoder share one tokenizer), none at the others; so the decoder can copy an order number
 * from the message digit by digit. Text read by a pretrained model has no ids of the decoder's
 * vocabulary and offers nothing to copy.
 */
public final class ReplyHead extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DecoderConfig config;
    private final ReplyMemory source;
    private final List<Modality> modalities;
    private final TreeMap<Modality, Linear> projections = new TreeMap<>();
    private final Linear fusionProjection;
    private final TransformerDecoder decoder;

    /**
     * @param config the decoder; its cross-attention must be on
     * @param modalities the modalities whose tokens make the memory, in enum order
     * @throws IllegalArgumentException if the decoder has no cross-attention or no modality is
     *     given
     */
    public ReplyHead(DecoderConfig config, List<Modality> modalities) {
        this(config, modalities, ReplyMemory.ENCODER_TOKENS);
    }

    /**
     * @param config the decoder; its cross-attention must be on
     * @param modalities the modalities of the model, in enum order
     * @param source what the memory is made of
     * @throws IllegalArgumentException if the decoder has no cross-attention or no modality is
     *     given
     */
    public ReplyHead(DecoderConfig config, List<Modality> modalities, ReplyMemory source) {
        super(VERSION);
        if (config.crossAttention() == CrossAttention.NONE) {
            throw new IllegalArgumentException(
                    "a reply head reads the fused ticket: its decoder's crossAttention must not be"
                            + " NONE");
        }
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException("a reply head needs at least one modality");
        }
        this.config = config;
        this.source = source;
        this.modalities = List.copyOf(modalities);
        if (source == ReplyMemory.ENCODER_TOKENS) {
            for (Modality m : modalities) {
                projections.put(
                        m,
                        addChildBlock(
                                m.field() + "Memory",
                                Linear.builder().setUnits(config.width()).build()));
            }
            fusionProjection = null;
        } else {
            fusionProjection =
                    addChildBlock(
                            "fusionMemory", Linear.builder().setUnits(config.width()).build());
        }
        decoder = addChildBlock("decoder", new TransformerDecoder(config));
    }

    public DecoderConfig config() {
        return config;
    }

    /** The decoder, for {@code dev.braid.text.generate.Generator}. */
    public TransformerDecoder decoder() {
        return decoder;
    }

    /** The modalities the memory is made of, in enum order. */
    public List<Modality> modalities() {
        return modalities;
    }

    /** What the memory is made of. */
    public ReplyMemory source() {
        return source;
    }

    /**
     * The fused memory of a batch the model encoded: every modality's encoder tokens, each
     * projected by a map of its own, concatenated with their masks, and for a copying decoder the
     * token id of each memory position; or, for {@link ReplyMemory#FUSION_OUTPUT}, the fusion's
     * output vectors projected.
     *
     * @param encoded the model's pass; its tokens must hold every modality of {@link #modalities}
     * @param inputs per modality the model's inputs (the text's are {@code (ids, mask)}), or null:
     *     nothing to copy
     * @return {@code NDList(memory [B, S, D], memoryMask [B, S])}, plus {@code memoryIds [B, S]}
     *     (negative where a position has no token) when the decoder copies and the text came as
     *     token ids
     * @throws IllegalArgumentException if a modality is missing
     */
    public NDList memory(
            ParameterStore store,
            FusionModel.Encoded encoded,
            Map<Modality, NDList> inputs,
            boolean training) {
        if (source == ReplyMemory.ENCODER_TOKENS) {
            return encoderMemory(store, encoded.tokens(), inputs, training);
        }
        NDArray vectors = encoded.fused().get(0); // (B, K, D_f)
        NDArray mask = encoded.fused().get(1).gt(0f); // (B, K): a vector of weight 0 is absent
        NDArray projected =
                fusionProjection.forward(store, new NDList(vectors), training).singletonOrThrow();
        return new NDList(projected, mask);
    }

    private NDList encoderMemory(
            ParameterStore store,
            Map<Modality, NDList> encoded,
            Map<Modality, NDList> inputs,
            boolean training) {
        NDList tokens = new NDList();
        NDList masks = new NDList();
        NDList ids = new NDList();
        boolean copy = config.copyFromMemory() && inputs != null && textIds(inputs) != null;
        for (Map.Entry<Modality, Linear> p : projections.entrySet()) {
            NDList pair = encoded.get(p.getKey());
            if (pair == null) {
                throw new IllegalArgumentException(
                        "the reply head reads " + p.getKey() + " but it was not encoded");
            }
            tokens.add(
                    p.getValue()
                            .forward(store, new NDList(pair.get(0)), training)
                            .singletonOrThrow()); // (B, T_m, D)
            masks.add(pair.get(1)); // (B, T_m)
            if (copy) {
                ids.add(positionIds(p.getKey(), pair.get(1), inputs));
            }
        }
        NDList memory =
                tokens.size() == 1
                        ? new NDList(tokens.get(0), masks.get(0))
                        : new NDList(NDArrays.concat(tokens, 1), NDArrays.concat(masks, 1));
        if (copy) {
            memory.add(ids.size() == 1 ? ids.get(0) : NDArrays.concat(ids, 1)); // (B, S)
        }
        return memory;
    }

    /**
     * The decoder's input for teacher forcing or a full recompute: the tokens so far, then the
     * memory as {@link #memory} made it.
     */
    public static NDList decoderInput(NDArray ids, NDArray mask, NDList memory) {
        NDList input = new NDList(ids, mask);
        input.addAll(memory);
        return input;
    }

    private static NDArray textIds(Map<Modality, NDList> inputs) {
        NDList text = inputs.get(Modality.TEXT);
        if (text == null || text.get(0).getDataType() != DataType.INT64) {
            return null; // no text, or vectors from a pretrained model
        }
        return text.get(0);
    }

    /** The text's token ids at its positions; -1 at every position of another modality. */
    private static NDArray positionIds(
            Modality modality, NDArray mask, Map<Modality, NDList> inputs) {
        if (!modality.equals(Modality.TEXT)) {
            return mask.getManager().full(mask.getShape(), -1f, DataType.INT64);
        }
        NDArray ids = textIds(inputs);
        if (!ids.getShape().equals(mask.getShape())) {
            throw new IllegalArgumentException(
                    "the text encoder's tokens "
                            + mask.getShape()
                            + " do not line up with the text's ids "
                            + ids.getShape()
                            + "; a copying reply head needs one token per id");
        }
        return ids;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return decoder.forward(store, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return decoder.getOutputShapes(inputShapes);
    }

    /**
     * The shapes {@link #initialize} takes: a 2-token reply over a memory of the encoders' tokens,
     * then each memory modality's token shape.
     *
     * @param encoded per modality its encoder's output shapes {@code (tokens, mask)}
     */
    public Shape[] initializationShapes(Map<Modality, Shape[]> encoded) {
        if (source != ReplyMemory.ENCODER_TOKENS) {
            throw new IllegalStateException(
                    "this reply head reads the fusion's output: give its shape too");
        }
        long batch = 1;
        long length = 0;
        List<Shape> tokenShapes = new ArrayList<>();
        for (Modality m : modalities()) {
            Shape tokens = encoded.get(m)[0];
            batch = tokens.get(0);
            length += tokens.get(1);
            tokenShapes.add(tokens);
        }
        List<Shape> out = new ArrayList<>();
        out.add(new Shape(batch, 2));
        out.add(new Shape(batch, 2));
        out.add(new Shape(batch, length, config.width()));
        out.add(new Shape(batch, length));
        out.addAll(tokenShapes);
        return out.toArray(new Shape[0]);
    }

    /**
     * The shapes {@link #initialize} takes, for either {@link ReplyMemory}.
     *
     * @param encoded per modality its encoder's output shapes {@code (tokens, mask)}
     * @param fusionVectors the fusion's output vectors {@code [B, K, D_f]}
     */
    public Shape[] initializationShapes(Map<Modality, Shape[]> encoded, Shape fusionVectors) {
        if (source == ReplyMemory.ENCODER_TOKENS) {
            return initializationShapes(encoded);
        }
        long batch = fusionVectors.get(0);
        long length = fusionVectors.get(1);
        return new Shape[] {
            new Shape(batch, 2),
            new Shape(batch, 2),
            new Shape(batch, length, config.width()),
            new Shape(batch, length),
            fusionVectors
        };
    }

    /**
     * Initialises from the encoders' token shapes.
     *
     * @param inputShapes the decoder's four input shapes, then per modality of {@link #modalities}
     *     the shape of its encoder tokens {@code [B, T_m, D_m]}; for {@link
     *     ReplyMemory#FUSION_OUTPUT}, the fusion's vectors {@code [B, K, D_f]} instead
     */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int i = 4;
        if (fusionProjection != null) {
            fusionProjection.initialize(manager, dataType, inputShapes[i]);
        }
        for (Linear projection : projections.values()) {
            projection.initialize(manager, dataType, inputShapes[i++]);
        }
        decoder.initialize(
                manager, dataType, inputShapes[0], inputShapes[1], inputShapes[2], inputShapes[3]);
    }
}
