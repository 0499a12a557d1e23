package dev.braid.fusion.train;

/**
 * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then cosine decay from {@code
 * peak} to {@code floor} at {@code totalSteps}, and {@code floor} after.
 *
 * <pre>
 * at(s) = peak * s / warmupSteps                                  s &lt; warmupSteps
 *       = floor + (peak - floor) * (1 + cos(pi * q)) / 2           warmupSteps &lt;= s &lt; totalSteps,
 *             q = (s - warmupSteps) / (totalSteps - warmupSteps)
 *       = floor                                                    s &gt;= totalSteps
 * </pre>
 *
 * <p>Steps count from 0, as HuggingFace's {@code get_cosine_schedule_with_warmup}: with warm-up the
 * first step ({@code s = 0}) has rate 0.
 *
 * @param peak the rate at the end of warm-up, positive
 * @param warmupSteps steps of linear warm-up, at least 0
 * @param totalSteps the step at which the rate reaches {@code floor}, more than {@code warmupSteps}
 * @param floor the final rate, in [0, peak]
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double floor) {

    public LearningRateSchedule {
        if (!(peak > 0 && Double.isFinite(peak))) {
            throw new IllegalArgumentException("peak (" + peak + ") must be positive and finite");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps (" + warmupSteps + ") must be >= 0");
        }
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException(
                    "totalSteps ("
                            + totalSteps
                            + ") must be greater than warmupSteps ("
                            + warmupSteps
                            + ")");
        }
        if (!(floor >= 0 && floor <= peak)) {
            throw new IllegalArgumentException(
                    "floor (" + floor + ") must be in [0, peak (" + peak + ")]");
        }
    }

    /**
     * The learning rate of step {@code step}, counted from 0.
     *
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public float at(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step (" + step + ") must be >= 0");
        }
        if (step < warmupSteps) {
            return (float) (peak * step / warmupSteps);
        }
        if (step >= totalSteps) {
            return (float) floor;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
