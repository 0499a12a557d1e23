package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.apps.ReadyConfigs;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.text.encoder.AttentionPattern;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import dev.braid.text.transformer.FeedForwardKind;
import dev.braid.text.transformer.NormKind;
import dev.braid.text.transformer.NormPlacement;
import dev.braid.vision.encoder.CnnImageEncoder;
import dev.braid.vision.encoder.ImageEncoderConfig;
import dev.braid.vision.encoder.Nonlinearity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EncoderSpecTest {

    private static ModelConfig model(RunConfig config) {
        TaskSchema schema =
                new TaskSchema(
                        new TreeMap<>(
                                Map.of(
                                        "label",
                                        new HeadSpec(
                                                "label",
                                                HeadKind.CLASSIFICATION,
                                                List.of("a", "b")))));
        // the library's feature settings, given, so that no dataset is read to derive them
        RunConfig given =
                RunConfigTest.withFeatures(
                        config,
                        RunConfig.FeatureSpec.of(
                                dev.braid.fusion.data.FeatureSettings.defaults(),
                                2000,
                                config.features().cache()));
        return new TrainingRun(given).modelConfig(schema, ByteLevelBpeTokenizer.bytesOnly());
    }

    @Test
    void theDefaultsAreTheEncodersBraidAlwaysBuilt() {
        ModelConfig model = model(RunConfig.defaults());
        assertEquals(
                new ImageEncoderConfig(
                        1, 16, 2, List.of(16, 32), List.of(1, 1), 64, Nonlinearity.RELU),
                model.image());
        assertEquals(new AudioEncoderConfig(64, 32, 2, 64, 2, 3), model.audio());
    }

    @Test
    void theTextEncoderIsTheOneBraidAlwaysBuilt() throws Exception {
        ModelConfig model = model(RunConfig.parse("model: {modalities: [TEXT]}\n", List.of(), "t"));
        assertEquals(
                new TextEncoderConfig(
                        ByteLevelBpeTokenizer.bytesOnly().vocabularySize(),
                        32,
                        64,
                        4,
                        2,
                        128,
                        PositionEncoding.SINUSOIDAL,
                        NormKind.LAYER_NORM,
                        NormPlacement.PRE_LN,
                        FeedForwardKind.GELU,
                        AttentionPattern.BIDIRECTIONAL,
                        0,
                        0.1f,
                        0),
                model.text());
    }

    @Test
    void thePeerShapeTurnsA64PixelImageInto64Tokens() throws Exception {
        RunConfig config = ReadyConfigs.load("peer-shape", List.of());
        ModelConfig model = model(config);
        // the peer's shape: mels as the channels of two 1-D convolutions, plain strided
        // convolutions
        assertEquals(
                new AudioEncoderConfig(
                        64, 64, 2, 64, 0, 3, dev.braid.audio.encoder.AudioFrontEnd.CONV1D),
                model.audio());
        assertEquals(dev.braid.vision.encoder.StageBlock.PLAIN, model.image().stageBlock());
        try (NDManager manager = NDManager.newBaseManager()) {
            CnnImageEncoder encoder = new CnnImageEncoder(model.image());
            Shape[] out = encoder.getOutputShapes(new Shape[] {new Shape(2, 3, 64, 64)});
            assertEquals(new Shape(2, 64, 64), out[0]); // 64 -> 32 -> 16 -> 8: 8 x 8 tokens
        }
    }

    @Test
    void aBadEncoderFieldIsNamedWithItsSection() throws Exception {
        RunConfig config =
                RunConfig.parse("model: {image: {stemStride: 3}}", List.of(), "bad.yaml");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> model(config));
        assertEquals("model.image: stemStride (3) must be 1 or 2", e.getMessage());
        RunConfig audio = RunConfig.parse("", List.of("model.audio.temporalKernel=4"), "set");
        IllegalArgumentException a =
                assertThrows(IllegalArgumentException.class, () -> model(audio));
        assertTrue(a.getMessage().startsWith("model.audio: temporalKernel (4)"), a.getMessage());
    }
}
