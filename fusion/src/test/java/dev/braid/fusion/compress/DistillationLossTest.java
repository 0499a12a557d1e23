package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class DistillationLossTest {

    private static final float[][] STUDENT = {{1f, 2f, 3f}, {0f, 0f, 0f}};
    private static final float[][] TEACHER = {{3f, 2f, 1f}, {1f, 0f, -1f}};

    @Test
    void softTermEqualsTheHandComputedValue() {
        // src/test/resources/compress/distillation_reference.py; at T = 1, by hand: row 1 is
        // (p1 - p3) * 2 = 1.1504 with p = softmax(3, 2, 1), row 2 is ln 3 - H(p) = 0.2659
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(STUDENT);
            NDArray t = m.create(TEACHER);
            assertEquals(0.7083187f, DistillationLoss.soft(s, t, 1f).getFloat(), 1e-5f);
            assertEquals(0.7971552f, DistillationLoss.soft(s, t, 2f).getFloat(), 1e-5f);
        }
    }

    @Test
    void softTermIsZeroWhenTheStudentIsTheTeacher() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(TEACHER);
            assertEquals(0f, DistillationLoss.soft(t, t.duplicate(), 3f).getFloat(), 1e-7f);
        }
    }

    @Test
    void sequenceTermIsTheMeanOverScoredTokensAndIgnoresPadding() {
        // two replies of one scored token each, then a padded position of other values: the
        // scored tokens are the rows above, so the mean over them is soft's mean over the batch
        float[][][] student = {{STUDENT[0], {9f, -9f, 0f}}, {STUDENT[1], {-5f, 5f, 5f}}};
        float[][][] teacher = {{TEACHER[0], {0f, 0f, 9f}}, {TEACHER[1], {7f, 0f, 0f}}};
        boolean[][] scored = {{true, false}, {true, false}};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(flat(student), new ai.djl.ndarray.types.Shape(2, 2, 3));
            NDArray t = m.create(flat(teacher), new ai.djl.ndarray.types.Shape(2, 2, 3));
            NDArray mask = m.create(scored);
            // (1.1504 + 0.2659) / 2 at T = 1, by hand; T = 2 from distillation_reference.py
            assertEquals(0.7083187f, DistillationLoss.sequence(s, t, mask, 1f).getFloat(), 1e-5f);
            assertEquals(0.7971552f, DistillationLoss.sequence(s, t, mask, 2f).getFloat(), 1e-5f);
            // a copying decoder's log-probabilities: log-softmax moves each position by a
            // constant, which softmax(log p / T) does not see
            assertEquals(
                    0.7971552f,
                    DistillationLoss.sequence(s.logSoftmax(2), t.logSoftmax(2), mask, 2f)
                            .getFloat(),
                    1e-5f);
            assertEquals(
                    0f, DistillationLoss.sequence(t, t.duplicate(), mask, 2f).getFloat(), 1e-7f);
            NDArray none = m.create(new boolean[][] {{false, false}, {false, false}});
            assertEquals(0f, DistillationLoss.sequence(s, t, none, 2f).getFloat(), 0f);
        }
    }

    private static float[] flat(float[][][] values) {
        float[] out = new float[values.length * values[0].length * values[0][0].length];
        int i = 0;
        for (float[][] row : values) {
            for (float[] position : row) {
                for (float v : position) {
                    out[i++] = v;
                }
            }
        }
        return out;
    }

    @Test
    void mixWeighsSoftByAlphaAndHardByOneMinusAlpha() {
        try (NDManager m = NDManager.newBaseManager()) {
            float mixed = DistillationLoss.mix(m.create(2f), m.create(10f), 0.25f).getFloat();
            assertEquals(0.25f * 2 + 0.75f * 10, mixed, 1e-6f);
        }
    }
}
