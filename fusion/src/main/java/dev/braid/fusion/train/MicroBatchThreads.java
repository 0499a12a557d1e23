package dev.braid.fusion.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Computes the micro-batches of one step at once, on up to {@code threads} threads, so a step of
 * two micro-batches keeps two cores busy where libtorch's own threads would share out small
 * operations badly.
 *
 * <p>Micro-batch 0 runs on the model's own parameters; micro-batch {@code k > 0} on a {@link
 * MicroBatchParameters} of its own. After all have run, their gradients are added to the model's in
 * the order 1, 2, ..., and each batch-norm statistic becomes the mean of the micro-batches'. That
 * is the same whether the micro-batches ran one after another or at once: the thread count changes
 * the speed, never the result.
 */
final class MicroBatchThreads implements AutoCloseable {

    /** One micro-batch's forward and backward pass; returns its share of the step's loss. */
    interface Pass {
        float run(int index, ParameterStore parameters);
    }

    private final ExecutorService pool;
    private final int threads;
    private final List<MicroBatchParameters> others = new ArrayList<>();

    /** With {@code threads} of 1, micro-batches run on the calling thread, one after another. */
    MicroBatchThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be positive");
        }
        this.threads = threads;
        AtomicInteger made = new AtomicInteger();
        this.pool =
                threads == 1
                        ? null
                        : Executors.newFixedThreadPool(
                                threads,
                                task -> {
                                    Thread thread =
                                            new Thread(
                                                    task,
                                                    "braid-micro-batch-" + made.incrementAndGet());
                                    thread.setDaemon(true);
                                    return thread;
                                });
    }

    /**
     * Makes the parameters of micro-batches 1 to {@code microBatches - 1} from the model's current
     * ones, replacing those made before; needed again only when the model's parameter arrays are
     * replaced (a checkpoint or weights loaded).
     */
    void prepare(List<Parameter> parameters, NDManager manager, int microBatches) {
        closeOthers();
        for (int k = 1; k < microBatches; k++) {
            others.add(new MicroBatchParameters(parameters, manager));
        }
    }

    /**
     * Runs {@code count} passes, pass 0 on {@code own}, and leaves their summed gradients and
     * averaged statistics in the model.
     *
     * @return the sum of the passes' losses, added in order
     */
    float run(int count, ParameterStore own, Pass pass) {
        if (count - 1 > others.size()) {
            throw new IllegalStateException(
                    count + " micro-batches, but parameters prepared for " + (others.size() + 1));
        }
        List<MicroBatchParameters> used = others.subList(0, count - 1);
        used.forEach(MicroBatchParameters::resetStatistics);
        float[] losses = new float[count];
        if (pool == null || count == 1) {
            for (int k = 0; k < count; k++) {
                losses[k] = pass.run(k, parameters(k, own));
            }
        } else {
            List<Future<Float>> running = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                int index = k;
                running.add(pool.submit(() -> pass.run(index, parameters(index, own))));
            }
            List<Float> results = awaitAll(running);
            for (int k = 0; k < count; k++) {
                losses[k] = results.get(k);
            }
        }
        for (MicroBatchParameters other : used) {
            forEach(other.weights(), other::addGradientTo);
        }
        MicroBatchParameters.averageStatistics(used);
        float sum = 0;
        for (float loss : losses) {
            sum += loss;
        }
        return sum;
    }

    /**
     * Runs {@code work} on every parameter, the list split into one contiguous slice a thread, and
     * returns when all are done: for per-parameter work between passes (the optimiser's update,
     * adding gradients), which is independent from parameter to parameter and so gives the same
     * result however it is split.
     */
    void forEach(List<Parameter> parameters, Consumer<Parameter> work) {
        int slices = pool == null ? 1 : Math.min(threads, parameters.size());
        if (slices <= 1) {
            parameters.forEach(work);
            return;
        }
        List<Future<?>> running = new ArrayList<>(slices);
        for (int k = 0; k < slices; k++) {
            List<Parameter> slice =
                    parameters.subList(
                            k * parameters.size() / slices, (k + 1) * parameters.size() / slices);
            running.add(pool.submit(() -> slice.forEach(work)));
        }
        awaitAll(running);
    }

    private ParameterStore parameters(int index, ParameterStore own) {
        return index == 0 ? own : others.get(index - 1);
    }

    /**
     * Waits for every task, in order, and gives their results; if some failed, throws the first
     * failure once all are done, so no task still touches the model when the caller goes on.
     */
    private static <T> List<T> awaitAll(List<? extends Future<? extends T>> tasks) {
        List<T> results = new ArrayList<>(tasks.size());
        RuntimeException failed = null;
        for (Future<? extends T> task : tasks) {
            try {
                results.add(task.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = failed != null ? failed : new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                RuntimeException cause =
                        e.getCause() instanceof RuntimeException runtime
                                ? runtime
                                : new IllegalStateException(e.getCause());
                failed = failed != null ? failed : cause;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return results;
    }

    private void closeOthers() {
        others.forEach(MicroBatchParameters::close);
        others.clear();
    }

    @Override
    public void close() {
        closeOthers();
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
