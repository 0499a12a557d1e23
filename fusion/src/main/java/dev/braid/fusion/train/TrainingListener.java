package dev.braid.fusion.train;

/**
 * Told what the training loop does, for progress bars and logs. Every method does nothing unless
 * overridden. Listeners run on the training thread and should be quick.
 */
public interface TrainingListener {

    /** After every optimiser step. */
    default void onStep(StepEvent event) {}

    /** After every epoch's evaluation. */
    default void onEpoch(EpochEvent event) {}

    /** Once, when training ends. */
    default void onTrainingEnd(EndEvent event) {}
}
