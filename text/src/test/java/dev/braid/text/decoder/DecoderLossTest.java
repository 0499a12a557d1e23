package dev.braid.text.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.text.tokenize.SpecialTokens;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecoderLossTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * Logits (1, 2, 3), target 2: log-sum-exp = ln(e + e^2 + e^3) = 3.4076059, so -log p = 2.4076,
     * 1.4076, 0.4076 and their mean 1.4076059. With smoothing 0.1: 0.9 * 0.4076059 + 0.1 *
     * 1.4076059 = 0.5076059. The second position is padding and must not count, whatever its
     * logits.
     */
    @Test
    void labelSmoothedCrossEntropyOfAHandComputedPosition() {
        NDArray logits = manager.create(new float[] {1, 2, 3, 50, -50, 0}, new Shape(1, 2, 3));
        NDArray targets = manager.create(new long[] {2, 1}, new Shape(1, 2));
        NDArray mask = manager.create(new boolean[] {true, false}, new Shape(1, 2));
        assertEquals(
                0.4076059f, DecoderLoss.crossEntropy(logits, targets, mask, 0f).getFloat(), 1e-5f);
        assertEquals(
                0.5076059f,
                DecoderLoss.crossEntropy(logits, targets, mask, 0.1f).getFloat(),
                1e-5f);
    }

    @Test
    void noScoredPositionGivesZero() {
        NDArray logits = manager.create(new float[] {1, 2, 3}, new Shape(1, 1, 3));
        NDArray loss =
                DecoderLoss.crossEntropy(
                        logits,
                        manager.create(new long[] {0}, new Shape(1, 1)),
                        manager.create(new boolean[] {false}, new Shape(1, 1)),
                        0.1f);
        assertEquals(0f, loss.getFloat());
    }

    /** Inputs start with [CLS] and lag the targets by one; targets end with [SEP]; pads are 0. */
    @Test
    void teacherForcingShiftsTheTargetsBehindAStartToken() {
        SpecialTokens special = SpecialTokens.standard(); // pad 0, cls 2, sep 3
        DecoderBatch batch =
                TeacherForcing.batch(
                        manager, List.of(new int[] {7, 8, 9}, new int[] {6}), 8, special);
        assertEquals(new Shape(2, 4), batch.inputs().getShape());
        assertArrayEquals(new long[] {2, 7, 8, 9, 2, 6, 0, 0}, batch.inputs().toLongArray());
        assertArrayEquals(new long[] {7, 8, 9, 3, 6, 3, 0, 0}, batch.targets().toLongArray());
        assertArrayEquals(
                new boolean[] {true, true, true, true, true, true, false, false},
                batch.mask().toBooleanArray());
        DecoderBatch cut = TeacherForcing.batch(manager, List.of(new int[] {7, 8, 9}), 3, special);
        assertArrayEquals(new long[] {2, 7, 8}, cut.inputs().toLongArray());
        assertArrayEquals(new long[] {7, 8, 3}, cut.targets().toLongArray());
    }
}
