package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.braid.apps.ReadyConfigs;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.audio.pretrain.SavedAudioEncoder;
import dev.braid.fusion.Modality;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speech pre-training on a tiny tone corpus, then the encoder fine-tuned through {@code
 * model.pretrainedAudio}: the path {@code braid pretrain-audio} and the README take.
 */
class SpeechPretrainingTest {

    @TempDir static Path dir;
    static Path support = ShippedDatasetTest.repoRoot().resolve("data/support");
    static SpeechPretraining.Result pretrained;
    static float[] pretrainedWeights;

    @BeforeAll
    static void pretrain() throws IOException {
        Path corpus = ToneCorpus.write(dir.resolve("corpus"), 200, 3);
        RunConfig run =
                ReadyConfigs.load(
                        "speech-pretrain",
                        List.of(
                                "data=[{path: '" + corpus + "', weight: 1.0}]",
                                "training.epochs=6",
                                "features.cache=false",
                                "output='" + dir.resolve("pretraining") + "'"));
        pretrained = new SpeechPretraining(run).run(dir.resolve("encoder"), List.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            pretrainedWeights =
                    weights(SavedAudioEncoder.load(pretrained.encoderDir(), manager).encoder());
        }
    }

    static float[] weights(Block block) {
        List<float[]> parts = new ArrayList<>();
        block.getParameters().forEach(p -> parts.add(p.getValue().getArray().toFloatArray()));
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static RunConfig fineTune(Path output, String... more) throws IOException {
        List<String> overrides =
                new ArrayList<>(
                        List.of(
                                "data=[{path: '" + support + "', weight: 1.0}]",
                                "model.pretrainedAudio='" + pretrained.encoderDir() + "'",
                                "training.epochs=1",
                                "training.maxSteps=4",
                                "features.cache=false",
                                "output='" + output + "'"));
        overrides.addAll(List.of(more));
        return ReadyConfigs.load("support-audio-only", overrides);
    }

    @Test
    void preTrainingLowersTheLoss() {
        List<Double> losses = pretrained.epochLosses();
        assertEquals(6, losses.size(), losses.toString());
        assertTrue(
                losses.get(5) < 0.7 * losses.get(0),
                "the last epoch's loss is well below the first's: " + losses);
        assertTrue(
                Files.isRegularFile(pretrained.encoderDir().resolve(SpeechPretraining.RECORD)),
                "the encoder records how it was made");
    }

    @Test
    void theSavedEncoderIsThePretrainedModelsEncoder() throws IOException {
        Path modelDir = pretrained.run().modelDir();
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = ModelDirectory.read(modelDir).loadModel(modelDir, manager);
            assertArrayEquals(weights(model.encoder(Modality.AUDIO)), pretrainedWeights, 0f);
        }
    }

    @Test
    void aFrozenPretrainedEncoderIsTheFusionModelsAudioEncoder() throws Exception {
        TrainingRun.Result result =
                new TrainingRun(fineTune(dir.resolve("frozen"), "training.frozenEncoders=[AUDIO]"))
                        .run(List.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model =
                    ModelDirectory.read(result.modelDir()).loadModel(result.modelDir(), manager);
            assertArrayEquals(pretrainedWeights, weights(model.encoder(Modality.AUDIO)), 0f);
        }
    }

    @Test
    void aTrainableOneIsFineTuned() throws Exception {
        TrainingRun.Result result = new TrainingRun(fineTune(dir.resolve("tuned"))).run(List.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model =
                    ModelDirectory.read(result.modelDir()).loadModel(result.modelDir(), manager);
            assertFalse(
                    Arrays.equals(pretrainedWeights, weights(model.encoder(Modality.AUDIO))),
                    "fine-tuning moves the audio encoder's weights");
        }
    }

    @Test
    void aMissingEncoderIsRefusedNamingTheFieldAndTheFile() {
        Path missing = dir.resolve("no-such-encoder");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRun(
                                                fineTune(
                                                        dir.resolve("missing"),
                                                        "model.pretrainedAudio='" + missing + "'"))
                                        .run(List.of()));
        assertTrue(e.getMessage().startsWith("model.pretrainedAudio: "), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aCorruptWeightsFileIsRefusedNamingTheFieldAndTheFile() throws IOException {
        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        for (String name : List.of("audio-encoder.json", "audio-encoder.params")) {
            Files.copy(pretrained.encoderDir().resolve(name), corrupt.resolve(name));
        }
        Path params = corrupt.resolve("audio-encoder.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRun(
                                                fineTune(
                                                        dir.resolve("corrupt-run"),
                                                        "model.pretrainedAudio='" + corrupt + "'"))
                                        .run(List.of()));
        assertTrue(e.getMessage().startsWith("model.pretrainedAudio: "), e.getMessage());
        assertTrue(e.getMessage().contains(params.toString()), e.getMessage());
    }

    @Test
    void anEncoderOfAnotherWidthOrOtherFeaturesIsRefusedNamingTheField() {
        IllegalArgumentException wide =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRun(fineTune(dir.resolve("wide"), "model.width=32"))
                                        .run(List.of()));
        assertTrue(wide.getMessage().contains("model.pretrainedAudio"), wide.getMessage());
        assertTrue(wide.getMessage().contains("model.width"), wide.getMessage());
        IllegalArgumentException mels =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRun(fineTune(dir.resolve("mels"), "features.mels=40"))
                                        .run(List.of()));
        assertTrue(mels.getMessage().contains("model.pretrainedAudio"), mels.getMessage());
        assertTrue(mels.getMessage().contains("features.mels"), mels.getMessage());
    }

    @Test
    void anAudioEncoderForAModelWithoutAudioIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRun(
                                                fineTune(
                                                        dir.resolve("no-audio"),
                                                        "model.modalities=[TEXT]"))
                                        .run(List.of()));
        assertTrue(e.getMessage().contains("model.pretrainedAudio"), e.getMessage());
    }
}
