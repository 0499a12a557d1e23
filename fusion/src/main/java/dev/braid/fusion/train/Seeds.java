package dev.braid.fusion.train;

/**
 * Derives every random seed of a run from its one seed and a counter, so a resumed run draws the
 * same numbers as an uninterrupted one without saving any generator state.
 *
 * <p>The rule the training loop follows:
 *
 * <ul>
 *   <li>the data order of epoch {@code e} is a shuffle by {@code new Random(forEpoch(seed, e))}; a
 *       resumed run reshuffles the same way and skips the {@code batchInEpoch} batches already
 *       seen;
 *   <li>at the start of step {@code s} (counted from 0) the loop calls {@code
 *       Engine.getInstance().setRandomSeed(forStep(seed, s))}, so any engine randomness of that
 *       step is fixed by {@code (seed, s)} alone, and Java-side randomness of the step (modality
 *       dropout, then one dropout seed per micro-batch, bound to the thread that computes it) comes
 *       from {@code new SplittableRandom(forStep(seed, s))}.
 * </ul>
 *
 * <p>So the "random state" in a {@link TrainingState} is the seed plus the step, epoch and batch
 * counters. Streams are decorrelated by SplitMix64's finaliser, the mixer of {@link
 * java.util.SplittableRandom}.
 */
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long EPOCH_STREAM = 0x45504f4348L; // "EPOCH"
    private static final long STEP_STREAM = 0x53544550L; // "STEP"

    private Seeds() {}

    /** The seed of epoch {@code epoch}'s data order. */
    public static long forEpoch(long seed, int epoch) {
        return mix(mix(seed ^ EPOCH_STREAM) + GOLDEN_GAMMA * (epoch + 1L));
    }

    /** The seed of step {@code step}, a non-negative int as {@code Engine.setRandomSeed} takes. */
    public static int forStep(long seed, int step) {
        return (int) (mix(mix(seed ^ STEP_STREAM) + GOLDEN_GAMMA * (step + 1L)) >>> 33);
    }

    /** SplitMix64's finaliser (Stafford's variant 13). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
