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
 * for (int attempt = 1; ; attempt++) {
 *     Engine.getInstance().setRandomSeed(Seeds.forStep(seed, step)); // same dropout on retry
 *     try (NDManager stepManager = manager.newSubManager()) {
 *         float loss = 0;
 *         for (Batch micro : microBatches) {            // forward + backward add up gradients
 *             loss += forwardBackward(micro, stepManager) / k;
 *         }
 *         Gradients.scale(trainable, 1f / k);             // sum of k micro-batches -> mean
 *         float norm = Gradients.clipByGlobalNorm(trainable, maxNorm, stepManager);
 *         boolean finite = Float.isFinite(norm);
 *         if (finite || attempt == MAX_ATTEMPTS) {
 *             float lr = schedule.at(step);
 *             if (finite) {                               // NaN would poison the moments for good
 *                 optimizer.step(trainable, lr);
 *             }
 *             Gradients.zero(parameters.all());           // frozen ones get gradients too
 *             step++;
 *             listeners.onStep(new StepEvent(step, epoch, totalSteps, loss, lr, norm, rate));
 *             break;
 *         }
 *         Gradients.zero(parameters.all());               // libtorch's random NaN: recompute
 *     }
 * }
 * }</pre>
 */
package dev.braid.fusion.train;
