/**
 * The parts of Braid's training loop, each usable and tested on its own: {@link
 * dev.braid.fusion.train.AdamW} (with {@link dev.braid.fusion.train.AdamWConfig}), {@link
 * dev.braid.fusion.train.LearningRateSchedule}, {@link dev.braid.fusion.train.Gradients}
 * (global-norm clipping, accumulation scaling, zeroing), {@link
 * dev.braid.fusion.train.TrainableParameters} (freezing), {@link
 * dev.braid.fusion.train.EarlyStopping}, {@link dev.braid.fusion.train.Checkpoint} with {@link
 * dev.braid.fusion.train.TrainingState}, {@link dev.braid.fusion.train.Seeds}, and the listeners
 * {@link dev.braid.fusion.train.JsonlLog} and {@link dev.braid.fusion.train.ConsoleProgress}.
 *
 * <p>One optimiser step, as the loop composes them:
 *
 * <pre>{@code
 * List<Parameter> trainable = parameters.trainable();   // parameters: TrainableParameters
 * Engine.getInstance().setRandomSeed(Seeds.forStep(seed, step)); // dropout from (seed, step)
 * float loss = 0;
 * for (Batch micro : microBatches) {                    // forward + backward add up gradients,
 *     try (NDManager batchManager = manager.newSubManager()) {   // each of the k scaled by 1/k
 *         loss += forwardBackward(micro, batchManager) / k;
 *     }
 * }
 * // the gradients flattened once: their global norm, clipping by it and the AdamW update
 * float norm = optimizer.clipAndStep(trainable, schedule.at(step), maxNorm);
 * if (!Float.isFinite(norm)) {                          // a bug, never retried or skipped:
 *     throw NonFiniteGradientException.at(step, loss, trainable); // nothing was updated
 * }
 * Gradients.zero(parameters.all());                     // frozen ones get gradients too
 * step++;
 * listeners.onStep(new StepEvent(step, epoch, totalSteps, loss, lr, norm, rate));
 * }</pre>
 */
package dev.braid.fusion.train;
