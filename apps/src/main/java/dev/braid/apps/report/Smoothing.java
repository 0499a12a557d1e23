package dev.braid.apps.report;

/**
 * The debiased exponential moving average that TensorBoard draws over a noisy curve: {@code m_t =
 * w·m_{t−1} + (1−w)·x_t} from {@code m_{−1} = 0}, divided by {@code 1 − w^(t+1)} so the first point
 * is the first value rather than a fraction of it. Non-finite values are passed through as NaN and
 * leave the average unchanged.
 */
final class Smoothing {

    private Smoothing() {}

    /**
     * Smooths {@code values}.
     *
     * @param values the raw curve
     * @param weight how much of the past each point keeps, in [0, 1)
     * @throws IllegalArgumentException if the weight is outside [0, 1)
     */
    static double[] ema(double[] values, double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("weight (" + weight + ") must be in [0, 1)");
        }
        double[] smoothed = new double[values.length];
        double average = 0;
        double keptWeight = 1; // w^(t+1) over the finite values seen so far
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                smoothed[i] = Double.NaN;
                continue;
            }
            average = weight * average + (1 - weight) * values[i];
            keptWeight *= weight;
            smoothed[i] = average / (1 - keptWeight);
        }
        return smoothed;
    }
}
