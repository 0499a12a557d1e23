package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused embedding is what the heads read: a head applied to it alone (one vector of weight 1)
 * gives the model's logits, for every fusion of one fused vector (not pairwise, gated or late
 * fusion, whose heads answer each of their K vectors and average the answers).
 */
class FusionModelEmbeddingTest {

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void aHeadOnTheFusedEmbeddingGivesTheModelsLogits(FusionKind kind) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            ModelConfig config = FusionModelTest.tinyConfig(kind);
            FusionModel model = FusionModelTest.initialised(config, m, 3);
            Map<Modality, NDList> in = FusionModelTest.inputs(m, 3);
            ParameterStore store = new ParameterStore(m, false);
            Map<String, NDArray> logits = model.predict(store, in, false);
            FusionModel.Embeddings embedded = model.embed(store, in);
            assertEquals(new Shape(3, 16), embedded.fused().getShape());
            NDArray vector = embedded.fused().expandDims(1); // (B, 1, D)
            NDArray weight = m.ones(new Shape(3, 1)); // (B, 1)
            Shape[] fusionShapes = model.fusion().getOutputShapes(new Shape[] {new Shape(3, 1)});
            if (fusionShapes[0].get(1) == 1) { // one fused vector: the heads read exactly it
                Block head =
                        model.getChildren().stream()
                                .filter(p -> p.getKey().endsWith("head_label"))
                                .findFirst()
                                .orElseThrow()
                                .getValue();
                NDArray fromEmbedding =
                        head.forward(store, new NDList(vector, weight), false).singletonOrThrow();
                assertArrayEquals(
                        logits.get("label").toFloatArray(), fromEmbedding.toFloatArray(), 1e-5f);
            }
            for (Modality modality : config.modalities()) {
                assertEquals(new Shape(3, 16), embedded.modalities().get(modality).getShape());
            }
            // sample 0 has no image, sample 2 no audio: their embeddings are zero there
            assertArrayEquals(
                    new float[16], embedded.modalities().get(Modality.IMAGE).get(0).toFloatArray());
            assertArrayEquals(
                    new float[16], embedded.modalities().get(Modality.AUDIO).get(2).toFloatArray());
        }
    }
}
