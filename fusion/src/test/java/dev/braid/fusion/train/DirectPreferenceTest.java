package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DPO loss on log-probabilities small enough to work out by hand. */
class DirectPreferenceTest {

    @Test
    void equalsTheHandComputedLossAndGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray policyChosen = manager.create(new float[] {-2f, -4f});
            NDArray policyRejected = manager.create(new float[] {-3f, -1f});
            NDArray referenceChosen = manager.create(new float[] {-2.5f, -3f});
            NDArray referenceRejected = manager.create(new float[] {-2.5f, -2f});
            policyChosen.setRequiresGradient(true);
            NDArray loss;
            try (GradientRecording recording = GradientRecording.start()) {
                loss =
                        DirectPreference.loss(
                                policyChosen,
                                policyRejected,
                                referenceChosen,
                                referenceRejected,
                                0.5f);
                recording.backward(loss);
            }
            // pair 1: z = 0.5 * ((-2 + 2.5) - (-3 + 2.5)) = 0.5 * (0.5 + 0.5) = 0.5
            //   -log sigmoid(0.5) = log(1 + e^-0.5) = log 1.6065307 = 0.4740770
            // pair 2: z = 0.5 * ((-4 + 3) - (-1 + 2)) = 0.5 * (-1 - 1) = -1
            //   -log sigmoid(-1) = log(1 + e) = log 3.7182818 = 1.3132617
            // mean: (0.4740770 + 1.3132617) / 2 = 0.8936693
            assertEquals(0.8936693f, loss.getFloat(), 1e-6f);
            // d/d log pi(w) of pair i: -(1/2) * beta * sigmoid(-z_i)
            //   pair 1: -0.25 * sigmoid(-0.5) = -0.25 * 0.3775407 = -0.0943852
            //   pair 2: -0.25 * sigmoid(1) = -0.25 * 0.7310586 = -0.1827646
            assertArrayEquals(
                    new float[] {-0.0943852f, -0.1827646f},
                    policyChosen.getGradient().toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {0.5f, -1f},
                    DirectPreference.margins(
                                    policyChosen,
                                    policyRejected,
                                    referenceChosen,
                                    referenceRejected,
                                    0.5f)
                            .toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void aReplyPairedWithItselfScoresLog2WithNoGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // an accepted suggestion is both the preferred and the dispreferred reply
            NDArray policy = manager.create(new float[] {-7f, -0.5f, -12f});
            NDArray reference = manager.create(new float[] {-6f, -1.5f, -12f});
            policy.setRequiresGradient(true);
            NDArray loss;
            try (GradientRecording recording = GradientRecording.start()) {
                loss = DirectPreference.loss(policy, policy, reference, reference, 0.1f);
                recording.backward(loss);
            }
            assertEquals((float) Math.log(2), loss.getFloat(), 1e-7f);
            assertArrayEquals(new float[3], policy.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void aPolicyEqualToItsReferenceScoresLog2() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray chosen = manager.create(new float[] {-3f, -9f});
            NDArray rejected = manager.create(new float[] {-4f, -2f});
            assertEquals(
                    (float) Math.log(2),
                    DirectPreference.loss(chosen, rejected, chosen, rejected, 2f).getFloat(),
                    1e-7f);
        }
    }

    @Test
    void aLargeMarginDoesNotOverflow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray zero = manager.create(new float[] {0f});
            // z = -1000: the loss is 1000, not infinity
            assertEquals(
                    1000f,
                    DirectPreference.loss(zero, manager.create(new float[] {1000f}), zero, zero, 1f)
                            .getFloat(),
                    1e-3f);
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY})
    void aBetaThatIsNotPositiveIsRefusedByName(float beta) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> DirectPreference.checkBeta(beta));
        assertEquals("beta (" + beta + ") must be positive and finite, e.g. 0.1", e.getMessage());
    }
}
