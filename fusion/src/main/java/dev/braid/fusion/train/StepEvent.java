package dev.braid.fusion.train;

/**
 * One optimiser step has been taken.
 *
 * @param step optimiser steps completed, this one included (from 1)
 * @param epoch the epoch in progress, from 0
 * @param totalSteps the steps the run will take if not stopped early
 * @param loss the step's training loss (mean over its micro-batches)
 * @param learningRate the rate the step used
 * @param gradNorm the global gradient norm before clipping
 * @param samplesPerSecond training throughput, as the loop measures it
 */
public record StepEvent(
        int step,
        int epoch,
        int totalSteps,
        double loss,
        double learningRate,
        double gradNorm,
        double samplesPerSecond) {}
