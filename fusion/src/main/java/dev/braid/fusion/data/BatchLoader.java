package dev.braid.fusion.data;

import dev.braid.fusion.Modality;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Prepares the batches of an epoch on worker threads, ahead of the training loop, and hands them
 * over in order.
 *
 * <pre>{@code
 * try (BatchLoader loader = new BatchLoader(source, extractor, schema, BatchLoaderConfig.of(32, seed))) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         Iterator<Batch> batches = loader.epoch(epoch, 0);
 *         while (batches.hasNext()) {
 *             Batch batch = batches.next();
 *             try (NDManager step = model.getNDManager().newSubManager()) {
 *                 NDList text = batch.text(step);
 *                 ...
 * }</pre>
 *
 * <p>The samples of epoch {@code e} are {@code source.epoch(seed, e)}, cut into batches of {@code
 * batchSize}; sample {@code i} of the epoch is augmented with seed {@code
 * FeatureExtractor.sampleSeed(seed, e, i)}. So batches depend only on (seed, epoch), never on the
 * number of workers or their timing, and {@code epoch(e, k)} yields exactly the batches from
 * {@code k} on of {@code epoch(e, 0)} without preparing the first {@code k}: that is how a run
 * resumes mid-epoch. At most {@code prefetch} batches are prepared or waiting at any time. A
 * failure surfaces from {@code next()} as a {@link BatchLoadException} naming the sample's line and
 * file. Starting a new epoch abandons the previous one's iterator, and {@link #close()} (from any
 * thread) stops the workers; an abandoned iterator's {@code hasNext()} then throws {@link
 * IllegalStateException} rather than pretending the epoch ended. One consuming thread per
 * iterator.
 */
public final class BatchLoader implements AutoCloseable {

    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final SampleSource source;
    private final FeatureExtractor extractor;
    private final Collator collator;
    private final BatchLoaderConfig config;
    private final ExecutorService workers;
    private final String threadPrefix;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private EpochIterator current;
    private boolean closed;

    /**
     * A loader.
     *
     * @param source the samples of each epoch
     * @param extractor turns a row into features
     * @param schema the heads whose targets each batch carries
     * @param config batch size, workers, prefetch depth and seed
     */
    public BatchLoader(
            SampleSource source,
            FeatureExtractor extractor,
            TaskSchema schema,
            BatchLoaderConfig config) {
        this.source = Objects.requireNonNull(source, "source");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.collator = Collator.of(schema, extractor);
        this.config = Objects.requireNonNull(config, "config");
        this.threadPrefix = "braid-batch-loader-" + LOADERS.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory =
                task -> {
                    Thread t = new Thread(task, threadPrefix + count.incrementAndGet());
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                };
        this.workers = Executors.newFixedThreadPool(config.workers(), factory);
    }

    /** The prefix of this loader's worker thread names, e.g. {@code braid-batch-loader-3-}. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    /** Samples in every epoch. */
    public int epochSize() {
        return source.epochSize();
    }

    /** Batches in every epoch: {@code ceil(epochSize / batchSize)}. */
    public int batchesPerEpoch() {
        return (source.epochSize() + config.batchSize() - 1) / config.batchSize();
    }

    /**
     * The modalities each sample of each batch of epoch {@code epoch} has, as its manifest row
     * gives them, without preparing any batch: what data-parallel replicas exchange once an epoch.
     */
    public List<List<Set<Modality>>> modalities(int epoch) {
        List<Sample> samples = source.epoch(config.seed(), epoch);
        List<List<Set<Modality>>> batches = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += config.batchSize()) {
            List<Set<Modality>> batch = new ArrayList<>();
            for (Sample s :
                    samples.subList(from, Math.min(samples.size(), from + config.batchSize()))) {
                batch.add(new TreeSet<>(s.entry().inputs().keySet()));
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Runs {@link FeatureExtractor#keep} on every sample of the source, on the workers, so that a
     * cache held in memory ({@link FeatureCache#heldInMemory}) has the features before the first
     * epoch asks for them; stops early once {@code enough} says so (the cache is full).
     *
     * @param progress told how many samples have been read, every few batches' worth
     * @return how many samples were read
     * @throws FeatureException naming the manifest line and file of the first sample that cannot be
     *     read
     */
    public int keepFeatures(BooleanSupplier enough, IntConsumer progress) {
        List<Sample> samples = source.epoch(config.seed(), 0);
        int chunk = Math.max(1, config.batchSize());
        int read = 0;
        for (int from = 0; from < samples.size() && !enough.getAsBoolean(); ) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < config.workers() && from < samples.size(); w++) {
                List<Sample> part = samples.subList(from, Math.min(samples.size(), from + chunk));
                running.add(workers.submit(() -> part.forEach(s -> extractor.keep(s.entry()))));
                from += part.size();
                read += part.size();
            }
            for (Future<?> task : running) {
                try {
                    task.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while reading features");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            progress.accept(read);
        }
        return read;
    }

    /**
     * The batches of epoch {@code epoch} from batch {@code startBatch} on, prepared in the
     * background. Abandons the iterator of any earlier call.
     *
     * @param epoch the epoch number, from 0
     * @param startBatch the first batch to deliver, in {@code [0, batchesPerEpoch()]}
     * @throws IllegalArgumentException if {@code epoch} is negative or {@code startBatch} out of
     *     range
     * @throws IllegalStateException if the loader is closed
     */
    public synchronized Iterator<Batch> epoch(int epoch, int startBatch) {
        if (closed) {
            throw new IllegalStateException("the batch loader is closed");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch (" + epoch + ") must not be negative");
        }
        if (startBatch < 0 || startBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException(
                    "startBatch ("
                            + startBatch
                            + ") must be in [0, batchesPerEpoch ("
                            + batchesPerEpoch()
                            + ")]");
        }
        if (current != null) {
            current.stop(State.SUPERSEDED);
        }
        current = new EpochIterator(epoch, startBatch, source.epoch(config.seed(), epoch));
        return current;
    }

    /**
     * Stops the workers, abandoning batches in preparation, and waits until their threads have
     * ended.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.stop(State.CLOSED);
        }
        workers.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new IllegalStateException(
                            "batch loader worker " + t.getName() + " did not stop within 30 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Batch prepare(int epoch, int batch, List<Sample> samples) {
        int first = batch * config.batchSize();
        List<SampleFeatures> features = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("batch loader closed");
            }
            long seed = FeatureExtractor.sampleSeed(config.seed(), epoch, first + i);
            features.add(extractor.extract(samples.get(i).entry(), seed));
        }
        return collator.collate(samples, features);
    }

    /** Why an epoch's iterator stopped before its end, if it did. */
    private enum State {
        LIVE,
        SUPERSEDED,
        FAILED,
        CLOSED
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final int epoch;
        private final List<Sample> order;
        private final int batches;
        private final Deque<Future<Batch>> pending = new ConcurrentLinkedDeque<>();
        private volatile State state = State.LIVE;
        private int nextToDeliver;
        private int nextToSubmit;

        EpochIterator(int epoch, int startBatch, List<Sample> order) {
            this.epoch = epoch;
            this.order = order;
            this.batches = batchesPerEpoch();
            this.nextToDeliver = startBatch;
            this.nextToSubmit = startBatch;
            fill();
        }

        private void fill() {
            while (state == State.LIVE
                    && pending.size() < config.prefetch()
                    && nextToSubmit < batches) {
                int batch = nextToSubmit++;
                int from = batch * config.batchSize();
                List<Sample> samples =
                        order.subList(from, Math.min(from + config.batchSize(), order.size()));
                try {
                    pending.add(workers.submit(() -> prepare(epoch, batch, samples)));
                } catch (RejectedExecutionException e) {
                    stop(State.CLOSED);
                }
            }
        }

        /** Stops the iterator (callable from any thread) and cancels the batches in preparation. */
        void stop(State why) {
            state = why;
            for (Future<Batch> f = pending.poll(); f != null; f = pending.poll()) {
                f.cancel(true);
            }
        }

        /**
         * Whether the epoch has more batches.
         *
         * @throws IllegalStateException if the loader was closed, a later epoch was started, or a
         *     batch failed
         */
        @Override
        public boolean hasNext() {
            switch (state) {
                case LIVE:
                    return nextToDeliver < batches;
                case SUPERSEDED:
                    throw new IllegalStateException(
                            "epoch " + epoch + " was abandoned by a later call of epoch()");
                case FAILED:
                    throw new IllegalStateException("epoch " + epoch + " stopped after a failure");
                default:
                    throw new IllegalStateException("the batch loader is closed");
            }
        }

        /**
         * The next batch, waiting for a worker to finish it if need be.
         *
         * @throws BatchLoadException if preparing the batch failed, naming the sample's line and
         *     file
         * @throws IllegalStateException as {@link #hasNext()}
         */
        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has no more batches");
            }
            int batch = nextToDeliver++;
            Future<Batch> future = pending.poll();
            try {
                if (future == null) {
                    throw new CancellationException();
                }
                Batch out = future.get();
                fill();
                return out;
            } catch (ExecutionException e) {
                stop(State.FAILED);
                Throwable cause = e.getCause();
                throw new BatchLoadException(
                        "batch " + batch + " of epoch " + epoch + " failed: " + cause.getMessage(),
                        cause);
            } catch (CancellationException e) {
                hasNext(); // throws, saying why the iterator stopped
                throw new IllegalStateException("batch " + batch + " was cancelled", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(State.FAILED);
                throw new BatchLoadException(
                        "interrupted while waiting for batch " + batch + " of epoch " + epoch, e);
            }
        }
    }
}
