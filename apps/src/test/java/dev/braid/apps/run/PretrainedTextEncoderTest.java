package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.braid.apps.ReadyConfigs;
import dev.braid.apps.data.ShippedDatasetTest;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.Prediction;
import dev.braid.fusion.train.MlmPretrainer;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.pretrain.MaskedLanguageModel;
import dev.braid.text.pretrain.SavedTextEncoder;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.ByteLevelBpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-train a text encoder, then fine-tune a fusion model on it: the path the README shows. */
class PretrainedTextEncoderTest {

    @TempDir static Path dir;
    static Path support = ShippedDatasetTest.repoRoot().resolve("data/support");
    static Path encoderDir;
    static float[] pretrained;

    @BeforeAll
    static void pretrain() throws IOException {
        List<String> texts = new ArrayList<>();
        for (ManifestEntry e : Manifest.read(support).entries(Split.TRAIN)) {
            if (e.has(Modality.TEXT)) {
                texts.add(e.inputs().get(Modality.TEXT));
            }
        }
        ByteLevelBpeTokenizer tokenizer =
                new BpeTrainer(new BpeTrainer.Config(300, 2)).train(texts);
        try (NDManager manager = NDManager.newBaseManager()) {
            TextEncoderConfig config =
                    TextEncoderConfig.small(tokenizer.vocabularySize()).toBuilder()
                            .maxLength(64)
                            .build();
            MaskedLanguageModel mlm = new MaskedLanguageModel(new TransformerTextEncoder(config));
            new MlmPretrainer(new MlmPretrainer.Config(10, 16, 2e-3f, 0.01f, 0.15, 1))
                    .train(mlm, tokenizer, texts, manager, null);
            encoderDir = dir.resolve("encoder");
            new SavedTextEncoder(mlm.encoder(), tokenizer).save(encoderDir);
            pretrained = weights(mlm.encoder());
        }
    }

    private static float[] weights(Block block) {
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

    private static RunConfig config(Path output, String... more) throws IOException {
        List<String> overrides =
                new ArrayList<>(
                        List.of(
                                "data=[{path: '" + support + "', weight: 1.0}]",
                                "model.pretrainedText='" + encoderDir + "'",
                                "training.epochs=1",
                                "training.maxSteps=6",
                                "features.cache=false",
                                "output='" + output + "'"));
        overrides.addAll(List.of(more));
        return ReadyConfigs.load("support-text-only", overrides);
    }

    @Test
    void aFrozenPretrainedEncoderIsTheFusionModelsTextEncoderWithItsTokenizer() throws Exception {
        Path output = dir.resolve("frozen");
        TrainingRun.Result result =
                new TrainingRun(config(output, "training.frozenEncoders=[TEXT]")).run(List.of());
        ModelDirectory saved = ModelDirectory.read(result.modelDir());
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = saved.loadModel(result.modelDir(), manager);
            assertArrayEquals(
                    pretrained,
                    weights(model.encoder(Modality.TEXT)),
                    0f,
                    "the saved model's text encoder is the pre-trained one, untouched");
        }
        assertArrayEquals(
                Files.readAllBytes(encoderDir.resolve("tokenizer.json")),
                Files.readAllBytes(result.modelDir().resolve(ModelDirectory.TOKENIZER)),
                "the model reads text with the pre-trained encoder's tokenizer");
        try (FusionPredictor predictor = FusionPredictor.load(result.modelDir())) {
            Prediction p = predictor.predict("my headphones arrived broken", null, null);
            assertTrue(p.heads().containsKey("intent"), p.heads().toString());
        }
    }

    @Test
    void aTrainableOneIsFineTuned() throws Exception {
        TrainingRun.Result result = new TrainingRun(config(dir.resolve("tuned"))).run(List.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model =
                    ModelDirectory.read(result.modelDir()).loadModel(result.modelDir(), manager);
            float[] tuned = weights(model.encoder(Modality.TEXT));
            boolean moved = false;
            for (int i = 0; i < tuned.length && !moved; i++) {
                moved = tuned[i] != pretrained[i];
            }
            assertTrue(moved, "fine-tuning moves the text encoder's weights");
        }
    }

    @Test
    void anEncoderOfAnotherWidthIsRefusedNamingTheField() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingRun(config(dir.resolve("wide"), "model.width=32"))
                                        .run(List.of()));
        assertTrue(e.getMessage().contains("model.pretrainedText"), e.getMessage());
        assertTrue(e.getMessage().contains("model.width"), e.getMessage());
    }
}
