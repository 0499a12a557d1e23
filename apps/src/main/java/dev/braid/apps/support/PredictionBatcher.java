package dev.braid.apps.support;

import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.predict.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Coalesces predictions asked for from many threads into batched forward passes (dynamic batching).
 *
 * <p>A caller decodes its sample on its own thread (at most {@link BatchSettings#decoders()} at
 * once), then queues the features and waits. A worker takes what is queued, up to {@link
 * BatchSettings#maxBatch()}; while other samples are still being decoded it waits for them, up to
 * {@link BatchSettings#maxWait()} after the first. Only one worker gathers at a time, so batches
 * fill instead of splitting between workers; the others run the batches already gathered.
 */
public final class PredictionBatcher implements AutoCloseable {

    private record Queued(SampleFeatures features, CompletableFuture<Prediction> answer) {}

    private final Function<List<SampleFeatures>, List<Prediction>> model;
    private final BatchSettings settings;
    private final Semaphore decoding;
    private final AtomicInteger onTheirWay = new AtomicInteger();
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock gathering = new ReentrantLock();
    private final LongAdder batches = new LongAdder();
    private final LongAdder predicted = new LongAdder();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean open = true;

    /**
     * A batcher in front of {@code model}, which predicts a list of samples in one pass and answers
     * in their order; it is called from {@link BatchSettings#workers()} threads at once.
     */
    public PredictionBatcher(
            Function<List<SampleFeatures>, List<Prediction>> model, BatchSettings settings) {
        this.model = model;
        this.settings = settings;
        this.decoding = new Semaphore(settings.decoders(), true);
        for (int i = 0; i < settings.workers(); i++) {
            Thread worker = new Thread(this::work, "braid-batch-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /**
     * Decodes a sample with {@code decode} on this thread, then waits for its batch's answer.
     *
     * @throws RuntimeException what {@code decode} or the model threw
     * @throws IllegalStateException if the batcher is closed
     */
    public Prediction predict(Supplier<SampleFeatures> decode) {
        onTheirWay.incrementAndGet();
        Queued queued;
        try {
            decoding.acquireUninterruptibly();
            try {
                queued = new Queued(decode.get(), new CompletableFuture<>());
            } finally {
                decoding.release();
            }
            if (!open) {
                throw new IllegalStateException("the predictor is closed");
            }
            queue.add(queued);
        } finally {
            onTheirWay.decrementAndGet();
        }
        try {
            return queued.answer().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Forward passes run so far. */
    public long batches() {
        return batches.sum();
    }

    /** Samples predicted so far; over {@link #batches()}, the mean batch size. */
    public long predicted() {
        return predicted.sum();
    }

    private void work() {
        while (open || !queue.isEmpty()) {
            List<Queued> batch;
            try {
                batch = gather();
            } catch (InterruptedException e) {
                continue; // close() interrupts: look at open again
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                List<Prediction> answers =
                        model.apply(batch.stream().map(Queued::features).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer().complete(answers.get(i));
                }
            } catch (RuntimeException | Error e) {
                batch.forEach(q -> q.answer().completeExceptionally(e));
            }
            batches.increment();
            predicted.add(batch.size());
        }
    }

    /** The next batch: the first queued sample, and those that join it in time. */
    private List<Queued> gather() throws InterruptedException {
        gathering.lockInterruptibly();
        try {
            List<Queued> batch = new ArrayList<>();
            Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return batch;
            }
            batch.add(first);
            long deadline = System.nanoTime() + settings.maxWait().toNanos();
            while (batch.size() < settings.maxBatch()) {
                queue.drainTo(batch, settings.maxBatch() - batch.size());
                long left = deadline - System.nanoTime();
                if (batch.size() >= settings.maxBatch() || onTheirWay.get() == 0 || left <= 0) {
                    break;
                }
                Queued next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next != null) {
                    batch.add(next);
                }
            }
            return batch;
        } finally {
            gathering.unlock();
        }
    }

    /** Answers what is queued, then stops the workers. */
    @Override
    public void close() {
        open = false;
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // a caller that queued as the workers stopped is answered, not left waiting
        for (Queued late; (late = queue.poll()) != null; ) {
            late.answer()
                    .completeExceptionally(new IllegalStateException("the predictor is closed"));
        }
    }
}
