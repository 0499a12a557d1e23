package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.train.Gradients;
import dev.braid.tensor.testing.ForcedCollection;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.decoder.DecoderLoss;
import dev.braid.text.decoder.TransformerDecoder;
import dev.braid.text.encoder.AttentionPattern;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.pretrain.MaskedLanguageModel;
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A garbage collection between forward and backward must not change a single gradient bit, for
 * every Braid block, loss and head and for whole fusion models. DJL 0.35.1 frees the scalar of
 * {@code x.mul(2f)} when the Java buffer behind it is collected, though autograd still reads it in
 * backward; this test collects right there, so any block that passes a Java number to such an op
 * (instead of through {@code dev.braid.tensor.Scalars}) gets garbage gradients and fails.
 */
class ForcedCollectionGradientTest {

    /** A block, how its inputs are made, and a loss over its outputs. */
    record Case(Supplier<Block> block, Inputs inputs, Loss loss) {}

    interface Inputs {
        NDList make(NDManager batch);
    }

    interface Loss {
        NDArray of(Block block, ParameterStore store, NDList inputs);
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (FusionKind kind : FusionKind.values()) {
            all.add(named("fusion model " + kind + " with every head and loss", model(kind)));
        }
        for (PositionEncoding position : PositionEncoding.values()) {
            all.add(named("text encoder, " + position, text(c -> c.position(position))));
        }
        for (NormPlacement placement : NormPlacement.values()) {
            for (NormKind norm : NormKind.values()) {
                all.add(
                        named(
                                "text encoder, " + placement + " " + norm,
                                text(c -> c.placement(placement).norm(norm))));
            }
        }
        for (FeedForwardKind ff : FeedForwardKind.values()) {
            all.add(named("text encoder, " + ff, text(c -> c.feedForward(ff))));
        }
        for (AttentionPattern pattern : AttentionPattern.values()) {
            all.add(
                    named(
                            "text encoder, " + pattern,
                            text(
                                    c ->
                                            c.attention(pattern)
                                                    .prefixLength(
                                                            pattern == AttentionPattern.PREFIX
                                                                    ? 2
                                                                    : 0))));
        }
        all.add(named("masked language model and its loss", maskedLanguageModel()));
        for (DecoderConfig decoder :
                List.of(
                        DecoderConfig.gpt2(40),
                        DecoderConfig.llama(40),
                        DecoderConfig.chatGlm(40),
                        DecoderConfig.bloom(40),
                        DecoderConfig.originalTransformer(40).toBuilder()
                                .position(PositionEncoding.SINUSOIDAL)
                                .build())) {
            all.add(
                    named(
                            "transformer decoder, "
                                    + decoder.position()
                                    + " "
                                    + decoder.placement()
                                    + " "
                                    + decoder.feedForward()
                                    + " "
                                    + decoder.crossAttention()
                                    + ", with its loss",
                            decoder(decoder)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void collectingBeforeBackwardChangesNoGradient(Case c) throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            Block block = c.block().get();
            NDList sample = c.inputs().make(manager);
            block.initialize(
                    manager,
                    DataType.FLOAT32,
                    sample.stream().map(NDArray::getShape).toArray(Shape[]::new));
            List<Parameter> parameters = new ArrayList<>();
            block.getParameters()
                    .forEach(
                            p -> {
                                if (p.getValue().requiresGradient()) { // not BatchNorm statistics
                                    parameters.add(p.getValue());
                                }
                            });

            List<float[]> calm = gradients(c, block, parameters, manager, false);
            List<float[]> collected = gradients(c, block, parameters, manager, true);

            boolean someNonZero = false;
            for (int i = 0; i < parameters.size(); i++) {
                for (float g : calm.get(i)) {
                    assertTrue(Float.isFinite(g), parameters.get(i).getName());
                    someNonZero |= g != 0;
                }
                assertArrayEquals(
                        calm.get(i),
                        collected.get(i),
                        "gradient of " + parameters.get(i).getName() + " after a collection");
            }
            assertTrue(someNonZero, "the loss reaches the parameters");
        }
    }

    private static List<float[]> gradients(
            Case c, Block block, List<Parameter> parameters, NDManager manager, boolean collect)
            throws InterruptedException {
        Engine.getInstance().setRandomSeed(7); // the same dropout both times
        try (NDManager batch = manager.newSubManager()) {
            NDList inputs = c.inputs().make(batch);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = c.loss().of(block, new ParameterStore(batch, false), inputs);
                if (collect) {
                    ForcedCollection.now();
                }
                collector.backward(loss);
            }
        }
        List<float[]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            try (NDArray g = p.getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        Gradients.zero(parameters);
        return out;
    }

    private static Arguments named(String name, Case c) {
        return Arguments.of(Named.of(name, c));
    }

    private static Case model(FusionKind kind) {
        ModelConfig config = FusionModelTest.tinyConfig(kind);
        return new Case(
                () -> new FusionModel(config),
                batch -> new FusionModel(config).inputs(FusionModelTest.inputs(batch, 3)),
                (block, store, inputs) -> {
                    FusionModel model = (FusionModel) block;
                    // the same random inputs again, by modality: the seed was set before both
                    Map<Modality, NDList> byModality =
                            FusionModelTest.inputs(inputs.getManager(), 3);
                    FusionModel.Outputs out = model.predictWithEmbeddings(store, byModality, true);
                    NDManager m = inputs.getManager();
                    NDArray present = m.create(new boolean[] {true, true, false});
                    NDArray labels = m.create(new long[] {0, 2, 1});
                    NDArray tags = m.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(3, 2));
                    NDArray scores = m.create(new float[] {0.5f, -1f, 2f});
                    NDArray weights = m.create(new float[] {1f, 2f, 0.5f});
                    NDArray both = m.create(new boolean[] {true, true, true});
                    return Losses.crossEntropy(
                                    out.logits().get("label"), labels, present, 0.1f, weights)
                            .add(Losses.binaryCrossEntropy(out.logits().get("tags"), tags, present))
                            .add(
                                    Losses.meanSquaredError(
                                            out.logits().get("score"), scores, present))
                            .add(
                                    Losses.infoNce(
                                            out.embeddings().get(Modality.TEXT),
                                            out.embeddings().get(Modality.AUDIO),
                                            both,
                                            0.07f));
                });
    }

    private static Case text(java.util.function.UnaryOperator<TextEncoderConfig.Builder> variant) {
        TextEncoderConfig config =
                variant.apply(TextEncoderConfig.tiny(40).toBuilder().maxLength(8)).build();
        return new Case(
                () -> new TransformerTextEncoder(config),
                ForcedCollectionGradientTest::tokens,
                (block, store, inputs) -> {
                    NDList out = block.forward(store, inputs, true);
                    NDArray keep = out.get(1).toType(DataType.FLOAT32, false).expandDims(2);
                    return out.get(0).mul(keep).square().mean();
                });
    }

    private static Case maskedLanguageModel() {
        TextEncoderConfig config = TextEncoderConfig.tiny(40).toBuilder().maxLength(8).build();
        return new Case(
                () -> new MaskedLanguageModel(new TransformerTextEncoder(config)),
                ForcedCollectionGradientTest::tokens,
                (block, store, inputs) -> {
                    NDArray logits = block.forward(store, inputs, true).singletonOrThrow();
                    long[] labels = new long[12];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = i % 3 == 0 ? 5 + i : -1; // -1: not a masked position
                    }
                    return MaskedLanguageModel.loss(
                            logits, inputs.getManager().create(labels, new Shape(2, 6)));
                });
    }

    private static Case decoder(DecoderConfig preset) {
        DecoderConfig config = preset.toBuilder().maxLength(8).dropout(0.1f).build();
        boolean memory = config.crossAttention() == CrossAttention.EVERY_LAYER;
        return new Case(
                () -> new TransformerDecoder(config),
                batch -> {
                    NDList in = tokens(batch);
                    if (memory) {
                        in.add(batch.randomNormal(new Shape(2, 3, config.width())));
                        in.add(
                                batch.create(
                                        new boolean[] {true, true, true, true, false, false},
                                        new Shape(2, 3)));
                    }
                    return in;
                },
                (block, store, inputs) -> {
                    NDArray logits = block.forward(store, inputs, true).singletonOrThrow();
                    long[] targets = {7, 9, 11, 3, 0, 0, 5, 6, 3, 0, 0, 0};
                    return DecoderLoss.crossEntropy(
                            logits,
                            inputs.getManager().create(targets, new Shape(2, 6)),
                            inputs.get(1),
                            0.1f);
                });
    }

    private static NDList tokens(NDManager batch) {
        long[] ids = {2, 7, 9, 11, 3, 0, 2, 5, 6, 3, 0, 0};
        boolean[] mask = {
            true, true, true, true, true, false, true, true, true, true, false, false
        };
        return new NDList(batch.create(ids, new Shape(2, 6)), batch.create(mask, new Shape(2, 6)));
    }
}
