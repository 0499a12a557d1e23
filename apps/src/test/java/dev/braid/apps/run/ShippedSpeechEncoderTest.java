package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.apps.ReadyConfigs;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.audio.encoder.SpectrogramBatch;
import dev.braid.audio.encoder.SpectrogramEncoder;
import dev.braid.audio.features.Features;
import dev.braid.audio.features.LogMelExtractor;
import dev.braid.audio.pretrain.SavedAudioEncoder;
import dev.braid.audio.signal.AudioLoader;
import dev.braid.fusion.data.FeatureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The speech encoder shipped in {@code pretrained/speech-encoder} fits the customer-service
 * configurations that name it, and encodes their voice notes.
 */
class ShippedSpeechEncoderTest {

    static final Path ROOT = ShippedDatasetTest.repoRoot();

    @Test
    void theShippedWeightsLoadIntoTheSupportModelsAudioEncoder() throws Exception {
        for (String name :
                List.of(
                        "support-fused-speech",
                        "support-audio-speech",
                        "support-fused-pretrained")) {
            RunConfig config = ReadyConfigs.load(name, List.of());
            Path dir = ROOT.resolve(config.model().pretrainedAudio());
            assertTrue(Files.size(dir.resolve("audio-encoder.params")) < 5_000_000, name);
            FeatureSettings settings = new TrainingRun(config).featureSettings();
            try (NDManager manager = NDManager.newBaseManager()) {
                SavedAudioEncoder saved = SavedAudioEncoder.load(dir, manager);
                assertEquals(settings.logMel(), saved.logMel(), name + ": the features it knows");
                assertEquals(config.model().width(), saved.encoder().config().width(), name);

                // three real voice notes of the held-out tickets, of different lengths
                AudioLoader loader = new AudioLoader(settings.audioLoad());
                LogMelExtractor logMel = new LogMelExtractor(settings.logMel());
                List<Features> clips = new ArrayList<>();
                for (String clip :
                        List.of(
                                "test-en-refund-high-0",
                                "test-zh-delivery-low-0",
                                "test-en-billing-normal-0")) {
                    Path wav = ROOT.resolve("data/support/audio/" + clip + ".wav");
                    clips.add(logMel.extract(loader.load(wav)));
                }
                int frames = settings.audioMaxFrames();
                SpectrogramEncoder encoder = saved.encoder();
                NDList out =
                        encoder.forward(
                                new ParameterStore(manager, false),
                                SpectrogramBatch.of(manager, clips, frames),
                                false);
                NDArray tokens = out.get(0);
                int steps = encoder.outputFrames(frames);
                assertEquals(new Shape(3, steps, config.model().width()), tokens.getShape());
                assertEquals(new Shape(3, steps), out.get(1).getShape());
                for (float v : tokens.toFloatArray()) {
                    assertTrue(Float.isFinite(v), name + ": a token value is " + v);
                }
                for (int b = 0; b < 3; b++) {
                    long real = out.get(1).get(b).toType(DataType.INT64, false).sum().getLong();
                    assertEquals(
                            encoder.outputFrames(Math.min(frames, clips.get(b).frames())),
                            real,
                            "clip " + b + ": one real token per 4 real frames");
                }
            }
        }
    }

    @Test
    void theShippedEncoderRecordsAPreTrainingWhoseLossFell() throws Exception {
        JsonNode record =
                new ObjectMapper()
                        .readTree(
                                ROOT.resolve("pretrained/speech-encoder")
                                        .resolve(SpeechPretraining.RECORD)
                                        .toFile());
        JsonNode losses = record.get("trainLossByEpoch");
        assertTrue(losses.size() > 1, record.toString());
        assertTrue(
                losses.get(losses.size() - 1).asDouble() < losses.get(0).asDouble(),
                losses.toString());
    }
}
