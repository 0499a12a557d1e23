package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.Losses;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.testing.TinyRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfoNCE auxiliary loss aligns two modalities: on data where the image shows the same bit as
 * the text, a model trained with it ends with a lower held-out text-image InfoNCE than the same
 * model trained without it.
 */
class ContrastiveAlignmentTest {

    @Test
    void alignmentLossAlignsTextAndImageEmbeddings(@TempDir Path dir) throws IOException {
        TinyRun run = TinyRun.create(dir.resolve("data"), 256, 64, 64, true);
        ModelConfig config = run.modelConfig(FusionKind.EARLY).only(Modality.TEXT);
        config =
                new ModelConfig(
                        config.text(),
                        run.modelConfig(FusionKind.EARLY).image(),
                        null,
                        config.fusion(),
                        config.heads());
        double without = heldOutAlignment(run, config, 0f, dir.resolve("a"));
        double with = heldOutAlignment(run, config, 1f, dir.resolve("b"));
        System.out.printf("held-out text-image InfoNCE: without %.3f, with %.3f%n", without, with);
        assertTrue(with < without - 0.3, "with " + with + " vs without " + without);
    }

    private static double heldOutAlignment(
            TinyRun run, ModelConfig config, float weight, Path runDir) throws IOException {
        TrainConfig train =
                TrainConfig.builder()
                        .epochs(4)
                        .batchSize(32)
                        .modalityDropout(0f)
                        .contrastiveWeight(weight)
                        .build();
        try (NDManager manager = NDManager.newBaseManager();
                BatchLoader trainLoader = run.loader(Split.TRAIN, 32, 42);
                BatchLoader val = run.loader(Split.VAL, 32, 42)) {
            FusionModel model = TinyRun.model(config, manager, 1);
            new FusionTrainer(train)
                    .fit(model, manager, trainLoader, val, run.schema, runDir, List.of());
            List<Double> losses = new ArrayList<>();
            Iterator<Batch> batches = val.epoch(0, 0);
            while (batches.hasNext()) {
                Batch batch = batches.next();
                try (NDManager step = manager.newSubManager()) {
                    List<Set<Modality>> none = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        none.add(Set.of());
                    }
                    FusionModel.Outputs out =
                            model.predictWithEmbeddings(
                                    new ParameterStore(step, false),
                                    BatchInputs.of(batch, config.modalities(), none, step),
                                    false);
                    NDArray both =
                            out.present()
                                    .get(Modality.TEXT)
                                    .mul(out.present().get(Modality.IMAGE))
                                    .gt(0.5f);
                    losses.add(
                            (double)
                                    Losses.infoNce(
                                                    out.embeddings().get(Modality.TEXT),
                                                    out.embeddings().get(Modality.IMAGE),
                                                    both,
                                                    0.07f)
                                            .getFloat());
                }
            }
            return losses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }
    }
}
