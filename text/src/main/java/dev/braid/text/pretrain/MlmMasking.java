package dev.braid.text.pretrain;

import dev.braid.text.tokenize.EncodedBatch;
import dev.braid.text.tokenize.SpecialTokens;
import java.util.Random;

/**
 * Chooses what a masked-language model must predict, as BERT does: each real, non-special token is
 * picked with a probability; a picked token becomes {@code [MASK]} 80% of the time, a random token
 * 10%, and stays itself 10%, so the model cannot learn that only {@code [MASK]} matters.
 */
public final class MlmMasking {

    /**
     * A batch ready for the MLM loss.
     *
     * @param inputIds the ids the model reads, row-major {@code [B, T]}
     * @param labels the original id at picked positions, -1 elsewhere
     */
    public record Masked(long[] inputIds, long[] labels) {}

    private final double probability;
    private final int vocabularySize;
    private final SpecialTokens special;

    /**
     * @throws IllegalArgumentException if probability is not in (0, 1)
     */
    public MlmMasking(double probability, int vocabularySize, SpecialTokens special) {
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException(
                    "maskProbability (" + probability + ") must be in (0, 1)");
        }
        this.probability = probability;
        this.vocabularySize = vocabularySize;
        this.special = special;
    }

    /** Masks one batch; at least one token is picked whenever the batch has any. */
    public Masked apply(EncodedBatch batch, Random random) {
        long[] input = batch.ids().clone();
        long[] labels = new long[input.length];
        java.util.Arrays.fill(labels, -1);
        int candidates = 0;
        int lastCandidate = -1;
        int picked = 0;
        for (int i = 0; i < input.length; i++) {
            if (!batch.mask()[i] || special.contains(input[i])) {
                continue;
            }
            candidates++;
            if (random.nextInt(candidates) == 0) {
                lastCandidate = i; // reservoir sample: a uniformly random candidate
            }
            if (random.nextDouble() < probability) {
                pick(input, labels, i, random);
                picked++;
            }
        }
        if (picked == 0 && lastCandidate >= 0) {
            pick(input, labels, lastCandidate, random);
        }
        return new Masked(input, labels);
    }

    private void pick(long[] input, long[] labels, int i, Random random) {
        labels[i] = input[i];
        double r = random.nextDouble();
        if (r < 0.8) {
            input[i] = special.mask();
        } else if (r < 0.9) {
            long id;
            do {
                id = random.nextInt(vocabularySize);
            } while (special.contains(id));
            input[i] = id;
        }
    }
}
