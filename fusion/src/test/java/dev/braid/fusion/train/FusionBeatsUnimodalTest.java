package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.testing.SyntheticTriModal;
import dev.braid.fusion.testing.TinyRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of the fusion module: on {@link SyntheticTriModal} data, where the label is
 * {@code 2*text + (image XOR audio)}, the cross-attention model trained with the same budget as
 * each unimodal model beats the best of them by a wide margin on held-out samples. Chance is 25%;
 * text alone can reach 50%, image or audio alone 25%.
 */
class FusionBeatsUnimodalTest {

    @Test
    void crossAttentionFusionBeatsEveryUnimodalModel(@TempDir Path dir) throws IOException {
        TinyRun run = TinyRun.create(dir.resolve("data"), 512, 128, 256);
        TrainConfig config =
                TrainConfig.builder()
                        .epochs(12)
                        .batchSize(32)
                        .modalityDropout(0f)
                        .learningRate(3e-3f)
                        .build();
        ModelConfig fused = run.modelConfig(FusionKind.PAIRWISE);
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        models.put("fused (pairwise cross-attention)", fused);
        models.put("text only", fused.only(Modality.TEXT));
        models.put("image only", fused.only(Modality.IMAGE));
        models.put("audio only", fused.only(Modality.AUDIO));
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (Map.Entry<String, ModelConfig> entry : models.entrySet()) {
            try (NDManager manager = NDManager.newBaseManager();
                    BatchLoader train = run.loader(Split.TRAIN, config.batchSize(), config.seed());
                    BatchLoader val = run.loader(Split.VAL, 64, config.seed());
                    BatchLoader test = run.loader(Split.TEST, 64, config.seed())) {
                FusionModel model = TinyRun.model(entry.getValue(), manager, 1);
                new FusionTrainer(config)
                        .fit(
                                model,
                                manager,
                                train,
                                val,
                                run.schema,
                                dir.resolve("runs/" + accuracy.size()),
                                List.of());
                Evaluation result =
                        Evaluator.evaluate(model, manager, test.epoch(0, 0), run.schema, Set.of());
                accuracy.put(entry.getKey(), result.metric("label/accuracy"));
            }
        }
        System.out.println("| model | held-out accuracy |");
        System.out.println("|---|---|");
        accuracy.forEach((name, acc) -> System.out.printf("| %s | %.3f |%n", name, acc));
        double fusedAccuracy = accuracy.get("fused (pairwise cross-attention)");
        double bestUnimodal =
                accuracy.entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("fused"))
                        .mapToDouble(Map.Entry::getValue)
                        .max()
                        .orElseThrow();
        assertTrue(fusedAccuracy > 0.85, "fused accuracy " + fusedAccuracy);
        assertTrue(
                fusedAccuracy > bestUnimodal + 0.25,
                "fused " + fusedAccuracy + " vs best unimodal " + bestUnimodal);
    }
}
