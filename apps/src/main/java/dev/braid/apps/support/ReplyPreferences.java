package dev.braid.apps.support;

import dev.braid.apps.support.store.ReplyFeedback.Corrected;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Preference pairs from the agents' corrections, and the tickets held back to measure the tuned
 * replies on.
 *
 * <p>An edited reply is preferred over the reply the model suggested for the same ticket: one pair.
 * An accepted reply is the suggestion itself, so it would be paired with itself, and DPO's loss of
 * a reply against itself is {@code log 2} with no gradient: it teaches nothing and makes no pair
 * (it still counts as a held-out ticket, its routing confirmed by the agent). A ticket is held out
 * by the hash of its id, so the split stays the same as tickets are added.
 */
public final class ReplyPreferences {

    /**
     * One ticket and its two replies.
     *
     * @param ticket the corrected ticket
     * @param chosen the agent's reply
     * @param rejected the model's suggestion
     */
    public record Pair(Corrected ticket, String chosen, String rejected) {}

    /**
     * The corrected tickets, sorted.
     *
     * @param pairs the edited tickets not held out
     * @param heldOut every corrected ticket held out, edited or accepted
     * @param edited how many corrected tickets have an edited reply
     * @param accepted how many have the suggestion accepted
     */
    public record Split(List<Pair> pairs, List<Corrected> heldOut, int edited, int accepted) {

        /** Every corrected ticket. */
        public int corrected() {
            return edited + accepted;
        }
    }

    /**
     * How many replies state a held-out ticket's facts: the product and urgency the agent settled
     * on, and the order number the message gives ({@link ReferenceReplies}' checks).
     *
     * @param tickets the replies scored
     * @param product those naming the right product and no other
     * @param urgency those promising the right response time and no other
     * @param withOrder the tickets whose message gives an order number
     * @param order those of them whose reply copies it, and no other number
     */
    public record Facts(int tickets, int product, int urgency, int withOrder, int order) {

        public double productShare() {
            return share(product, tickets);
        }

        public double urgencyShare() {
            return share(urgency, tickets);
        }

        public double orderShare() {
            return share(order, withOrder);
        }

        private static double share(int n, int of) {
            return of == 0 ? 0 : (double) n / of;
        }
    }

    private ReplyPreferences() {}

    /**
     * Splits the corrected tickets.
     *
     * @param holdout the share of tickets held out, in [0, 1)
     * @throws IllegalArgumentException if holdout is out of range
     */
    public static Split split(List<Corrected> corrected, double holdout) {
        if (!(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("holdout (" + holdout + ") must be in [0, 1)");
        }
        List<Pair> pairs = new ArrayList<>();
        List<Corrected> heldOut = new ArrayList<>();
        int edited = 0;
        for (Corrected t : corrected) {
            boolean isEdit = edited(t);
            edited += isEdit ? 1 : 0;
            if (heldOut(t.id(), holdout)) {
                heldOut.add(t);
            } else if (isEdit) {
                pairs.add(new Pair(t, t.correction().reply(), t.suggested()));
            }
        }
        return new Split(pairs, heldOut, edited, corrected.size() - edited);
    }

    /** Whether the agent sent a reply of their own rather than the suggestion. */
    static boolean edited(Corrected t) {
        String sent = t.correction().reply();
        return t.correction().replyEdited()
                && sent != null
                && !sent.isBlank()
                && !sent.strip().equals(t.suggested() == null ? "" : t.suggested().strip());
    }

    /** Whether ticket {@code id} is held out: the first 32 bits of its SHA-256, as a fraction. */
    static boolean heldOut(String id, double holdout) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(id.getBytes(StandardCharsets.UTF_8));
            long first = Long.parseLong(HexFormat.of().formatHex(hash, 0, 4), 16);
            return first / 4294967296.0 < holdout;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }

    /** Scores {@code replies}, one per ticket of {@code tickets} in order. */
    public static Facts facts(List<Corrected> tickets, List<String> replies) {
        int product = 0;
        int urgency = 0;
        int withOrder = 0;
        int order = 0;
        for (int i = 0; i < tickets.size(); i++) {
            Corrected t = tickets.get(i);
            String reply = replies.get(i);
            product +=
                    ReferenceReplies.productRight(reply, t.language(), t.correction().product())
                            ? 1
                            : 0;
            urgency +=
                    ReferenceReplies.urgencyRight(reply, t.language(), t.correction().urgency())
                            ? 1
                            : 0;
            String number = ReferenceReplies.orderIn(t.text());
            if (number != null) {
                withOrder++;
                order += ReferenceReplies.orderRight(reply, number) ? 1 : 0;
            }
        }
        return new Facts(tickets.size(), product, urgency, withOrder, order);
    }

    /** The model fingerprint {@code braid serve} stores with each ticket a model answers. */
    public static String fingerprint(java.nio.file.Path modelDir) {
        return ModelFingerprint.of(modelDir);
    }
}
