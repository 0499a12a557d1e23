package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import dev.braid.tensor.Scalars;

/**
 * The Direct Preference Optimization loss (Rafailov et al., 2023): for a pair of replies to one
 * prompt, the preferred {@code w} and the dispreferred {@code l},
 *
 * <pre>
 *   loss = -log sigmoid(beta * [(log pi(w) - log ref(w)) - (log pi(l) - log ref(l))])
 * </pre>
 *
 * averaged over the pairs, where {@code pi} is the model being tuned, {@code ref} a frozen copy of
 * it and each {@code log p(y)} a whole reply's log-probability (the sum over its tokens). A policy
 * equal to its reference scores {@code log 2} with no gradient towards either reply; the loss falls
 * as the policy raises the preferred reply's log-ratio above the dispreferred one's. The reference
 * keeps the policy near what it was (the KL-regularised reward of RLHF, solved in closed form); a
 * larger beta lets it move less far.
 *
 * <p>Every argument is a float {@code [P]} array, P pairs.
 */
public final class DirectPreference {

    private DirectPreference() {}

    /**
     * The mean loss over the pairs.
     *
     * @param policyChosen {@code log pi(w)} per pair
     * @param policyRejected {@code log pi(l)}
     * @param referenceChosen {@code log ref(w)}, without gradient
     * @param referenceRejected {@code log ref(l)}, without gradient
     * @param beta the scale of the log-ratio difference, positive
     * @return a scalar
     * @throws IllegalArgumentException if beta is not positive and finite
     */
    public static NDArray loss(
            NDArray policyChosen,
            NDArray policyRejected,
            NDArray referenceChosen,
            NDArray referenceRejected,
            float beta) {
        // -log sigmoid(z) = softplus(-z), which torch computes without overflow
        return margins(policyChosen, policyRejected, referenceChosen, referenceRejected, beta)
                .neg()
                .getNDArrayInternal()
                .softPlus()
                .mean();
    }

    /**
     * Per pair {@code z = beta * [(log pi(w) - log ref(w)) - (log pi(l) - log ref(l))]}, the
     * implicit reward margin: positive where the policy already prefers the preferred reply more
     * than the reference did.
     *
     * @return float {@code [P]}
     * @throws IllegalArgumentException if beta is not positive and finite
     */
    public static NDArray margins(
            NDArray policyChosen,
            NDArray policyRejected,
            NDArray referenceChosen,
            NDArray referenceRejected,
            float beta) {
        checkBeta(beta);
        NDArray chosen = policyChosen.sub(referenceChosen); // (P)
        NDArray rejected = policyRejected.sub(referenceRejected); // (P)
        return Scalars.mul(chosen.sub(rejected), beta);
    }

    /**
     * @throws IllegalArgumentException naming beta if it is not positive and finite
     */
    public static void checkBeta(float beta) {
        if (!(beta > 0 && Float.isFinite(beta))) {
            throw new IllegalArgumentException(
                    "beta (" + beta + ") must be positive and finite, e.g. 0.1");
        }
    }
}
