package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two modalities of different lengths and widths: text-like [B, 5, 12] and image-like [B, 4, 8].
 */
class FusionBlocksTest {

    private static final List<Modality> TWO = List.of(Modality.TEXT, Modality.IMAGE);
    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private FusionBlock fusion(FusionKind kind) {
        FusionBlock block = FusionBlock.create(new FusionConfig(kind, 16, 2, 1, 4, 0f), TWO);
        block.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(3, 5, 12),
                new Shape(3, 5),
                new Shape(3, 4, 8),
                new Shape(3, 4));
        return block;
    }

    private NDList run(
            FusionBlock block, NDArray text, NDArray textMask, NDArray image, NDArray imageMask) {
        return block.forward(
                new ParameterStore(manager, false),
                new NDList(text, textMask, image, imageMask),
                false);
    }

    private NDArray mask(boolean[] values, int length) {
        return manager.create(values, new Shape(values.length / length, length));
    }

    /** Sample 0 has both; sample 1 has text only (2 real tokens); sample 2 has nothing. */
    private NDArray textMask() {
        return mask(
                new boolean[] {
                    true, true, true, true, false, true, true, false, false, false, false, false,
                    false, false, false
                },
                5);
    }

    private NDArray imageMask() {
        return mask(
                new boolean[] {
                    true, true, true, true, false, false, false, false, false, false, false, false
                },
                4);
    }

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void shapesMatchAndMissingModalitiesGiveFiniteOutputs(FusionKind kind) {
        FusionBlock block = fusion(kind);
        NDList out =
                run(
                        block,
                        manager.randomNormal(new Shape(3, 5, 12)),
                        textMask(),
                        manager.randomNormal(new Shape(3, 4, 8)),
                        imageMask());
        Shape[] declared =
                block.getOutputShapes(
                        new Shape[] {
                            new Shape(3, 5, 12),
                            new Shape(3, 5),
                            new Shape(3, 4, 8),
                            new Shape(3, 4)
                        });
        assertEquals(declared[0], out.get(0).getShape());
        assertEquals(declared[1], out.get(1).getShape());
        assertTrue(
                out.get(0).isNaN().logicalOr(out.get(0).isInfinite()).none().getBoolean(),
                "no NaN from a softmax over nothing");
        float[] weights = out.get(1).toFloatArray();
        int k = (int) out.get(1).getShape().get(1);
        float sampleWithNothing = 0;
        for (int j = 0; j < k; j++) {
            sampleWithNothing += weights[2 * k + j];
        }
        assertEquals(0f, sampleWithNothing, "a sample with no modality carries no weight");
    }

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void paddingAndAbsentModalitiesDoNotChangeTheOutput(FusionKind kind) {
        FusionBlock block = fusion(kind);
        NDArray text = manager.randomNormal(new Shape(3, 5, 12));
        NDArray image = manager.randomNormal(new Shape(3, 4, 8));
        NDList a = run(block, text, textMask(), image, imageMask());
        // Overwrite every position that is padding or absent with large noise.
        NDArray textNoise = manager.randomNormal(new Shape(3, 5, 12)).mul(50);
        NDArray imageNoise = manager.randomNormal(new Shape(3, 4, 8)).mul(50);
        NDArray text2 =
                text.add(
                        textNoise.mul(
                                textMask()
                                        .logicalNot()
                                        .toType(DataType.FLOAT32, false)
                                        .expandDims(2)));
        NDArray image2 =
                image.add(
                        imageNoise.mul(
                                imageMask()
                                        .logicalNot()
                                        .toType(DataType.FLOAT32, false)
                                        .expandDims(2)));
        NDList b = run(block, text2, textMask(), image2, imageMask());
        NDIndex realSamples = new NDIndex("0:2");
        assertTrue(
                a.get(0).get(realSamples).allClose(b.get(0).get(realSamples), 1e-4, 1e-4, false),
                kind.toString());
    }

    @ParameterizedTest
    @EnumSource(
            value = FusionKind.class,
            names = {"PAIRWISE", "LATENT", "GATED", "EARLY", "GATED_UNIT"})
    void thePresentModalitiesMatter(FusionKind kind) {
        FusionBlock block = fusion(kind);
        NDArray text = manager.randomNormal(new Shape(3, 5, 12));
        NDArray image = manager.randomNormal(new Shape(3, 4, 8));
        NDList a = run(block, text, textMask(), image, imageMask());
        NDList b = run(block, text, textMask(), image.add(1f), imageMask());
        assertFalse(
                a.get(0).get(0).allClose(b.get(0).get(0), 1e-4, 1e-4, false),
                "sample 0 has the image");
        assertTrue(
                a.get(0).get(1).allClose(b.get(0).get(1), 1e-5, 1e-5, false),
                "sample 1 has no image");
    }

    @Test
    void gatedFusionStartsFromTheUnimodalPath() {
        NDArray text = manager.randomNormal(new Shape(3, 5, 12));
        NDArray image = manager.randomNormal(new Shape(3, 4, 8));
        NDArray none = mask(new boolean[12], 4);
        // With the gates at zero the text vector of sample 0 is the same with or without the image.
        FusionBlock gated = fusion(FusionKind.GATED);
        float[] both =
                run(gated, text, textMask(), image, imageMask())
                        .get(0)
                        .get(0)
                        .get(0)
                        .toFloatArray();
        float[] alone =
                run(gated, text, textMask(), image, none).get(0).get(0).get(0).toFloatArray();
        assertArrayEquals(alone, both, 1e-5f);

        FusionBlock pairwise = fusion(FusionKind.PAIRWISE);
        float[] pBoth =
                run(pairwise, text, textMask(), image, imageMask())
                        .get(0)
                        .get(0)
                        .get(0)
                        .toFloatArray();
        float[] pAlone =
                run(pairwise, text, textMask(), image, none).get(0).get(0).get(0).toFloatArray();
        float diff = 0;
        for (int i = 0; i < pBoth.length; i++) {
            diff += Math.abs(pBoth[i] - pAlone[i]);
        }
        assertTrue(diff > 1e-3, "ungated cross-attention mixes modalities from the start");
    }

    /**
     * The block tree is the saved parameter format (DJL saves parameters in this order and loads
     * them by position), so these names and their order are what a saved model holds.
     */
    @Test
    void crossAttentionFusionsKeepTheSavedParameterLayout() {
        FusionBlock pairwise = fusion(FusionKind.PAIRWISE);
        assertEquals(List.of("typeEmbedding"), pairwise.getDirectParameters().keys());
        List<String> pairwiseChildren =
                List.of(
                        "01projectTEXT",
                        "02projectIMAGE",
                        "03crossTEXTfromIMAGE",
                        "04crossIMAGEfromTEXT",
                        "05selfTEXT0",
                        "06selfIMAGE0");
        assertEquals(pairwiseChildren, pairwise.getChildren().keys());
        assertEquals(
                List.of(),
                pairwise.getChildren().get("03crossTEXTfromIMAGE").getDirectParameters().keys());

        FusionBlock gated = fusion(FusionKind.GATED);
        assertEquals(List.of("typeEmbedding"), gated.getDirectParameters().keys());
        assertEquals(pairwiseChildren, gated.getChildren().keys());
        for (String cross : List.of("03crossTEXTfromIMAGE", "04crossIMAGEfromTEXT")) {
            assertEquals(
                    List.of("attentionGate", "feedForwardGate"),
                    gated.getChildren().get(cross).getDirectParameters().keys());
        }

        FusionBlock latent = fusion(FusionKind.LATENT);
        assertEquals(List.of("typeEmbedding", "latents"), latent.getDirectParameters().keys());
        assertEquals(
                List.of("01projectTEXT", "02projectIMAGE", "03latentCross", "04latentSelf0"),
                latent.getChildren().keys());
        assertEquals(new Shape(4, 16), latent.getDirectParameters().get("latents").getShape());
    }

    @Test
    void pairwiseFusionGivesOneVotePerModalityPresent() {
        NDList out =
                run(
                        fusion(FusionKind.PAIRWISE),
                        manager.randomNormal(new Shape(3, 5, 12)),
                        textMask(),
                        manager.randomNormal(new Shape(3, 4, 8)),
                        imageMask());
        assertEquals(new Shape(3, 2, 16), out.get(0).getShape());
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, out.get(1).toFloatArray());
    }

    @Test
    void lateFusionWeightsArePresence() {
        NDList out =
                run(
                        fusion(FusionKind.LATE),
                        manager.randomNormal(new Shape(3, 5, 12)),
                        textMask(),
                        manager.randomNormal(new Shape(3, 4, 8)),
                        imageMask());
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, out.get(1).toFloatArray());
    }

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void aOneModalityFusionPassesGradientsToItsInput(FusionKind kind) {
        FusionBlock block =
                FusionBlock.create(
                        new FusionConfig(kind, 16, 2, 1, 4, 0f), List.of(Modality.AUDIO));
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 12), new Shape(2, 5));
        NDArray tokens = manager.randomNormal(new Shape(2, 5, 12));
        tokens.setRequiresGradient(true);
        NDArray mask = manager.ones(new Shape(2, 5)).toType(DataType.BOOLEAN, false);
        try (ai.djl.training.GradientCollector collector =
                ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray out =
                    block.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(tokens, mask),
                                    true)
                            .get(0);
            collector.backward(out.square().sum());
        }
        assertTrue(
                tokens.getGradient().abs().sum().getFloat() > 0,
                kind + ": no gradient reached the encoder");
    }
}
