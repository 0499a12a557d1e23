package dev.braid.apps.run;

import dev.braid.fusion.train.StepEvent;
import dev.braid.fusion.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/** Collects the mean training loss of each epoch, to show whether a run's loss falls. */
final class EpochLosses implements TrainingListener {

    private final List<Double> means = new ArrayList<>();
    private int epoch = -1;
    private double sum;
    private int steps;

    @Override
    public void onStep(StepEvent event) {
        if (event.epoch() != epoch) {
            close();
            epoch = event.epoch();
        }
        sum += event.loss();
        steps++;
    }

    /** The mean step loss of every epoch seen, in order. */
    List<Double> means() {
        close();
        return List.copyOf(means);
    }

    private void close() {
        if (steps > 0) {
            means.add(sum / steps);
        }
        sum = 0;
        steps = 0;
    }
}
