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
    void mixWeighsSoftByAlphaAndHardByOneMinusAlpha() {
        try (NDManager m = NDManager.newBaseManager()) {
            float mixed = DistillationLoss.mix(m.create(2f), m.create(10f), 0.25f).getFloat();
            assertEquals(0.25f * 2 + 0.75f * 10, mixed, 1e-6f);
        }
    }
}
