package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.fusion.Modality;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values computed by hand with the formulas in the comments. */
class LossesTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray present(boolean... values) {
        return manager.create(values);
    }

    @Test
    void crossEntropyAveragesOverLabelledSamplesOnly() {
        NDArray logits = manager.create(new float[] {0, 0, 2, 0, 9, -9}, new Shape(3, 2));
        NDArray labels = manager.create(new long[] {1, 0, 1});
        // sample 0: ln 2 = 0.693147; sample 1: ln(1 + e^-2) = 0.126928; sample 2 unlabelled
        float loss =
                Losses.crossEntropy(logits, labels, present(true, true, false), 0, null).getFloat();
        assertEquals((0.693147f + 0.126928f) / 2, loss, 1e-5f);
        assertEquals(
                0f,
                Losses.crossEntropy(logits, labels, present(false, false, false), 0, null)
                        .getFloat());
    }

    @Test
    void labelSmoothingAndClassWeights() {
        NDArray logits = manager.create(new float[] {2, 0, 0, 0}, new Shape(2, 2));
        NDArray labels = manager.create(new long[] {0, 1});
        // log-softmax of (2, 0) = (-0.126928, -2.126928); of (0, 0) = (-ln 2, -ln 2)
        // smoothing 0.2 over 2 classes: target (0.9, 0.1) for sample 0 -> 0.9*0.126928 +
        // 0.1*2.126928
        float s0 = 0.9f * 0.126928f + 0.1f * 2.126928f;
        float s1 = 0.693147f;
        assertEquals(
                (s0 + s1) / 2,
                Losses.crossEntropy(logits, labels, present(true, true), 0.2f, null).getFloat(),
                1e-5f);
        // class weights (1, 3): (1*0.126928 + 3*0.693147) / (1 + 3)
        NDArray weights = manager.create(new float[] {1, 3});
        assertEquals(
                (0.126928f + 3 * 0.693147f) / 4,
                Losses.crossEntropy(logits, labels, present(true, true), 0, weights).getFloat(),
                1e-5f);
    }

    @Test
    void binaryCrossEntropyOnLogits() {
        NDArray logits = manager.create(new float[] {0, 3}, new Shape(1, 2));
        NDArray targets = manager.create(new float[] {1, 0}, new Shape(1, 2));
        // ln 2 and ln(1 + e^3) = 3.048587, averaged over the 2 labels
        assertEquals(
                (0.693147f + 3.048587f) / 2,
                Losses.binaryCrossEntropy(logits, targets, present(true)).getFloat(),
                1e-5f);
        NDArray huge = manager.create(new float[] {500, -500}, new Shape(1, 2));
        assertEquals(
                0f,
                Losses.binaryCrossEntropy(huge, targets, present(true)).getFloat(),
                1e-5f,
                "stable at large logits");
    }

    @Test
    void meanSquaredErrorSkipsUnlabelled() {
        NDArray predictions = manager.create(new float[] {1, 2, 100}, new Shape(3, 1));
        NDArray targets = manager.create(new float[] {0, 4, 0});
        assertEquals(
                (1f + 4f) / 2,
                Losses.meanSquaredError(predictions, targets, present(true, true, false))
                        .getFloat(),
                1e-6f);
    }

    @Test
    void infoNceIsLowWhenPairsAlignAndHighWhenSwapped() {
        NDArray a = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
        NDArray swapped = manager.create(new float[] {0, 1, 1, 0}, new Shape(2, 2));
        // temperature 1: logits [[1, 0], [0, 1]] -> each row -ln(e / (e + 1)) = 0.313262
        assertEquals(0.313262f, Losses.infoNce(a, a, present(true, true), 1f).getFloat(), 1e-5f);
        // swapped: each row -ln(1 / (e + 1)) = 1.313262
        assertEquals(
                1.313262f, Losses.infoNce(a, swapped, present(true, true), 1f).getFloat(), 1e-5f);
        assertEquals(
                0f,
                Losses.infoNce(a, a, present(true, false), 1f).getFloat(),
                "one pair: nothing to contrast");
    }

    @Test
    void modalityDropoutNeverDropsEverythingAndIsSeeded() {
        ModalityDropout dropout = new ModalityDropout(0.9f);
        List<Set<Modality>> present =
                List.of(
                        new TreeSet<>(List.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO)),
                        new TreeSet<>(Set.of(Modality.AUDIO)),
                        new TreeSet<>());
        for (int trial = 0; trial < 200; trial++) {
            List<Set<Modality>> dropped = dropout.choose(present, new Random(trial));
            assertTrue(dropped.get(0).size() <= 2);
            assertTrue(dropped.get(1).isEmpty(), "the only modality is kept");
            assertTrue(dropped.get(2).isEmpty());
        }
        assertEquals(
                dropout.choose(present, new Random(5)), dropout.choose(present, new Random(5)));
        assertTrue(
                new ModalityDropout(0f)
                        .choose(present, new Random(1)).stream().allMatch(Set::isEmpty));
        assertThrows(IllegalArgumentException.class, () -> new ModalityDropout(1f));
    }
}
