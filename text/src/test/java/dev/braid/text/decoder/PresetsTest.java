package dev.braid.text.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.generate.Generator;
import dev.braid.text.generate.Strategy;
import dev.braid.text.generate.TokenListener;
import dev.braid.text.pretrain.MaskedLanguageModel;
import dev.braid.text.pretrain.MlmMasking;
import dev.braid.text.testing.LetterTokenizer;
import dev.braid.text.testing.TinyTraining;
import dev.braid.text.tokenize.EncodedBatch;
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named architecture builds with the shape its paper describes, trains a few steps (the loss
 * falls) and generates.
 */
class PresetsTest {

    private static final LetterTokenizer TOKENIZER = new LetterTokenizer();
    private static final List<String> TEXTS =
            List.of("abcdabcdabcd", "efghefghefgh", "abcdefabcdef", "hgfehgfehgfe");

    static Stream<Arguments> decoderOnly() {
        int v = TOKENIZER.vocabularySize();
        return Stream.of(
                Arguments.of("gpt2", DecoderConfig.gpt2(v)),
                Arguments.of("llama", DecoderConfig.llama(v)),
                Arguments.of("chatGlm", DecoderConfig.chatGlm(v)),
                Arguments.of("bloom", DecoderConfig.bloom(v)));
    }

    @Test
    void presetsHaveTheirPapersShapes() {
        int v = 10;
        assertShape(
                DecoderConfig.gpt2(v),
                PositionEncoding.LEARNED,
                FeedForwardKind.GELU,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN);
        assertShape(
                DecoderConfig.llama(v),
                PositionEncoding.ROPE,
                FeedForwardKind.SWIGLU,
                NormKind.RMS_NORM,
                NormPlacement.PRE_LN);
        assertShape(
                DecoderConfig.chatGlm(v),
                PositionEncoding.ROPE,
                FeedForwardKind.GEGLU,
                NormKind.LAYER_NORM,
                NormPlacement.DEEP_NORM);
        assertShape(
                DecoderConfig.bloom(v),
                PositionEncoding.ALIBI,
                FeedForwardKind.GELU,
                NormKind.LAYER_NORM,
                NormPlacement.PRE_LN);
        assertShape(
                DecoderConfig.originalTransformer(v),
                PositionEncoding.SINUSOIDAL,
                FeedForwardKind.RELU,
                NormKind.LAYER_NORM,
                NormPlacement.POST_LN);
        assertEquals(
                CrossAttention.EVERY_LAYER, DecoderConfig.originalTransformer(v).crossAttention());
        assertEquals(CrossAttention.NONE, DecoderConfig.gpt2(v).crossAttention());
        assertEquals(
                dev.braid.text.encoder.AttentionPattern.PREFIX,
                DecoderConfig.chatGlm(v).attention());
        TextEncoderConfig bert = TextEncoderConfig.bert(v);
        assertEquals(PositionEncoding.LEARNED, bert.position());
        assertEquals(FeedForwardKind.GELU, bert.feedForward());
        assertEquals(NormPlacement.POST_LN, bert.placement());
        TextEncoderConfig original = TextEncoderConfig.originalTransformer(v);
        assertEquals(PositionEncoding.SINUSOIDAL, original.position());
        assertEquals(FeedForwardKind.RELU, original.feedForward());
        assertEquals(NormPlacement.POST_LN, original.placement());
    }

    private static void assertShape(
            DecoderConfig config,
            PositionEncoding position,
            FeedForwardKind feedForward,
            NormKind norm,
            NormPlacement placement) {
        assertEquals(position, config.position());
        assertEquals(feedForward, config.feedForward());
        assertEquals(norm, config.norm());
        assertEquals(placement, config.placement());
    }

    /** Causal-LM pre-training on plain text, then generation from a 4-token prompt. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("decoderOnly")
    void aDecoderOnlyPresetTrainsOnPlainTextAndGenerates(String name, DecoderConfig config) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerDecoder decoder = new TransformerDecoder(config);
            Shape shape = new Shape(TEXTS.size(), 13);
            decoder.initialize(manager, DataType.FLOAT32, shape, shape);
            float[] losses =
                    TinyTraining.train(
                            manager,
                            30,
                            3e-3f,
                            (step, store) -> {
                                DecoderBatch batch =
                                        TeacherForcing.texts(step, TOKENIZER, TEXTS, 16);
                                NDArray logits =
                                        decoder.forward(store, batch.decoderInput(), true)
                                                .singletonOrThrow();
                                return DecoderLoss.crossEntropy(
                                        logits, batch.targets(), batch.mask(), 0.1f);
                            },
                            decoder);
            float start = TinyTraining.mean(losses, 0, 3);
            float end = TinyTraining.mean(losses, 27, 30);
            System.out.printf("%s: loss %.3f -> %.3f%n", name, start, end);
            assertTrue(end < 0.7f * start, name + ": loss " + start + " -> " + end);
            assertGenerates(decoder, manager, null, null);
        }
    }

    private static void assertGenerates(
            TransformerDecoder decoder, NDManager manager, NDArray memory, NDArray mask) {
        int[] prompt = {2, 5, 6, 7}; // [CLS] a b c
        for (Strategy strategy : Strategy.values()) {
            GenerationConfig config =
                    GenerationConfig.builder()
                            .strategy(strategy)
                            .beamWidth(2)
                            .maxNewTokens(5)
                            .stopTokens(3)
                            .build();
            List<Generated> out =
                    Generator.builder()
                            .setDecoder(decoder)
                            .setConfig(config)
                            .optTokenizer(TOKENIZER)
                            .build()
                            .generate(manager, List.of(prompt), memory, mask, TokenListener.NONE);
            assertEquals(1, out.size());
            assertTrue(out.get(0).tokens().length <= 5);
        }
    }

    /** The original Transformer's encoder and decoder train together on copying a text. */
    @Test
    void theOriginalTransformerTrainsAsAnEncoderDecoderAndGenerates() {
        Engine.getInstance().setRandomSeed(4);
        int v = TOKENIZER.vocabularySize();
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerTextEncoder encoder =
                    new TransformerTextEncoder(TextEncoderConfig.originalTransformer(v));
            TransformerDecoder decoder =
                    new TransformerDecoder(DecoderConfig.originalTransformer(v));
            Shape source = new Shape(TEXTS.size(), 14);
            encoder.initialize(manager, DataType.FLOAT32, source, source);
            decoder.initialize(
                    manager,
                    DataType.FLOAT32,
                    source,
                    source,
                    new Shape(TEXTS.size(), 14, 32),
                    source);
            float[] losses =
                    TinyTraining.train(
                            manager,
                            30,
                            2e-3f,
                            (step, store) -> {
                                NDList memory =
                                        encoder.forward(
                                                store,
                                                TOKENIZER.encodeBatch(TEXTS, 16).toNDList(step),
                                                true);
                                DecoderBatch batch =
                                        TeacherForcing.texts(step, TOKENIZER, TEXTS, 16);
                                NDArray logits =
                                        decoder.forward(
                                                        store,
                                                        batch.decoderInput(
                                                                memory.get(0), memory.get(1)),
                                                        true)
                                                .singletonOrThrow();
                                return DecoderLoss.crossEntropy(
                                        logits, batch.targets(), batch.mask(), 0.1f);
                            },
                            encoder,
                            decoder);
            float start = TinyTraining.mean(losses, 0, 3);
            float end = TinyTraining.mean(losses, 27, 30);
            System.out.printf("original transformer: loss %.3f -> %.3f%n", start, end);
            assertTrue(end < 0.7f * start, "loss " + start + " -> " + end);
            NDList memory =
                    encoder.forward(
                            new ai.djl.training.ParameterStore(manager, false),
                            TOKENIZER.encodeBatch(List.of("abcd"), 16).toNDList(manager),
                            false);
            assertGenerates(decoder, manager, memory.get(0), memory.get(1));
        }
    }

    /** BERT's encoder pre-trains a few masked-LM steps. */
    @Test
    void bertTrainsAsAMaskedLanguageModel() {
        Engine.getInstance().setRandomSeed(5);
        Random random = new Random(5);
        int v = TOKENIZER.vocabularySize();
        MlmMasking masking = new MlmMasking(0.3, v, TOKENIZER.specialTokens());
        try (NDManager manager = NDManager.newBaseManager()) {
            MaskedLanguageModel model =
                    new MaskedLanguageModel(new TransformerTextEncoder(TextEncoderConfig.bert(v)));
            Shape shape = new Shape(TEXTS.size(), 14);
            model.initialize(manager, DataType.FLOAT32, shape, shape);
            float[] losses =
                    TinyTraining.train(
                            manager,
                            30,
                            3e-3f,
                            (step, store) -> {
                                EncodedBatch encoded = TOKENIZER.encodeBatch(TEXTS, 16);
                                MlmMasking.Masked masked = masking.apply(encoded, random);
                                Shape s = new Shape(encoded.size(), encoded.length());
                                NDList in =
                                        new NDList(
                                                step.create(masked.inputIds(), s),
                                                step.create(encoded.mask(), s));
                                NDArray logits = model.forward(store, in, true).singletonOrThrow();
                                return MaskedLanguageModel.loss(
                                        logits, step.create(masked.labels(), s));
                            },
                            model);
            float start = TinyTraining.mean(losses, 0, 5);
            float end = TinyTraining.mean(losses, 25, 30);
            System.out.printf("bert: loss %.3f -> %.3f%n", start, end);
            assertTrue(end < 0.8f * start, "loss " + start + " -> " + end);
        }
    }
}
