package dev.braid.text.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.braid.tensor.Scalars;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.transformer.Norm;

/**
 * A text encoder with a masked-language-model head (BERT's): a dense transform, GELU and norm, then
 * logits over the vocabulary through the encoder's own token embedding, transposed. Tying the
 * output to the input embedding (as GPT-2 does) saves V×D parameters and makes every prediction
 * train the embeddings that the fine-tuned encoder will read.
 *
 * <p>Input {@code NDList(ids [B, T], mask [B, T])}; output {@code NDList(logits [B, T, V])}.
 */
public final class MaskedLanguageModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TransformerTextEncoder encoder;
    private final Linear transform;
    private final Norm norm;
    private final Parameter outputBias;

    public MaskedLanguageModel(TransformerTextEncoder encoder) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", encoder);
        int width = encoder.config().width();
        transform = addChildBlock("transform", Linear.builder().setUnits(width).build());
        norm = addChildBlock("norm", new Norm(encoder.config().norm(), width));
        outputBias =
                addParameter(
                        Parameter.builder()
                                .setName("outputBias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(encoder.config().vocabularySize()))
                                .build());
    }

    /** Returns the encoder being pre-trained. */
    public TransformerTextEncoder encoder() {
        return encoder;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray tokens = encoder.forward(store, inputs, training).get(0); // (B, T, D)
        NDArray h = transform.forward(store, new NDList(tokens), training).singletonOrThrow();
        h = norm.forward(store, new NDList(Activation.gelu(h)), training).singletonOrThrow();
        NDArray embedding = store.getValue(encoder.tokenEmbedding(), h.getDevice(), training);
        NDArray bias = store.getValue(outputBias, h.getDevice(), training);
        NDArray transposed = embedding.transpose(); // (D, V)
        transposed.attach(h.getManager()); // an op on a parameter joins the parameter's manager
        return new NDList(h.matMul(transposed).add(bias)); // (B, T, V)
    }

    /**
     * The mean cross-entropy over the positions that have a label.
     *
     * @param logits {@code [B, T, V]}
     * @param labels int64 {@code [B, T]}: the original id where a prediction is wanted, -1
     *     elsewhere
     * @return a scalar
     */
    public static NDArray loss(NDArray logits, NDArray labels) {
        NDArray predicted = labels.gte(0);
        NDArray weights = predicted.toType(DataType.FLOAT32, false);
        NDArray safeLabels = labels.mul(predicted.toType(DataType.INT64, false)); // -1 -> 0
        NDArray logProbabilities = logits.logSoftmax(2);
        NDArray picked = logProbabilities.gather(safeLabels.expandDims(2), 2).squeeze(2); // (B, T)
        return picked.mul(weights).sum().neg().div(Scalars.maximum(weights.sum(), 1f));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), encoder.config().vocabularySize())};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        Shape tokens = encoder.getOutputShapes(inputShapes)[0];
        transform.initialize(manager, dataType, tokens);
        norm.initialize(manager, dataType, tokens);
    }
}
