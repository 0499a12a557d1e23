package dev.braid.spark;

import dev.braid.fusion.train.Replicas;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Runs one task per shard in a Spark barrier stage, all at once, each with {@link Replicas} joining
 * it to the others: how data-parallel training is launched on Spark. Spark starts the stage only
 * when it has a slot for every task, and if one task fails it restarts them all (a replica should
 * resume from its checkpoint).
 *
 * <pre>{@code
 * List<Result> results = BarrierTraining.run(spark, List.of("/shared/shard-0", "/shared/shard-1"),
 *         (shard, replicas) -> {
 *             ... build the model and a BatchLoader on shard ...
 *             new FusionTrainer(config, 1, replicas).fit(model, manager, train, val, schema,
 *                     Path.of("/shared/run/replica-" + replicas.rank()), List.of());
 *             return ...;
 *         });
 * }</pre>
 */
public final class BarrierTraining {

    private BarrierTraining() {}

    /**
     * What one replica exchanged.
     *
     * @param calls how many all-gathers it took part in
     * @param bytesSent what it sent, as sent (Base64); it received every replica's
     * @param secondsWaiting its time inside all-gathers: the exchange plus waiting for the slowest
     */
    public record Traffic(long calls, long bytesSent, double secondsWaiting)
            implements Serializable {}

    /**
     * One replica's work: train on {@code shard} with {@code replicas}, return what the driver
     * collects.
     */
    @FunctionalInterface
    public interface ReplicaTask<R extends Serializable> extends Serializable {
        R run(String shard, Replicas replicas) throws Exception;
    }

    /**
     * What a replica returned, and what it exchanged.
     *
     * @param rank the replica, the shard's index
     */
    public record Outcome<R extends Serializable>(int rank, R result, Traffic traffic)
            implements Serializable {}

    /**
     * Runs {@code task} on every shard at once, replica {@code i} on {@code shards.get(i)}.
     *
     * @return every replica's outcome, in rank order
     * @throws IllegalArgumentException if there are no shards
     */
    public static <R extends Serializable> List<Outcome<R>> run(
            JavaSparkContext spark, List<String> shards, ReplicaTask<R> task) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shards to train on");
        }
        RDD<String> one = spark.parallelize(new ArrayList<>(shards), shards.size()).rdd();
        ClassTag<Outcome<R>> tag = ClassTag$.MODULE$.apply(Outcome.class);
        RDD<Outcome<R>> outcomes = one.barrier().mapPartitions(new Replica<>(task), false, tag);
        List<Outcome<R>> all = new ArrayList<>(outcomes.toJavaRDD().collect());
        all.sort(java.util.Comparator.comparingInt(Outcome::rank));
        return all;
    }

    /** A barrier task: its one shard, trained with the others. */
    private static final class Replica<R extends Serializable>
            extends AbstractFunction1<Iterator<String>, Iterator<Outcome<R>>>
            implements Serializable {

        private static final long serialVersionUID = 1L;
        private final ReplicaTask<R> task;

        Replica(ReplicaTask<R> task) {
            this.task = task;
        }

        @Override
        public Iterator<Outcome<R>> apply(Iterator<String> shards) {
            BarrierReplicas replicas = new BarrierReplicas(BarrierTaskContext.get());
            String shard = shards.next();
            R result;
            try {
                result = task.run(shard, replicas);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(
                        "replica " + replicas.rank() + " on " + shard + ": " + e.getMessage(), e);
            }
            Outcome<R> outcome = new Outcome<>(replicas.rank(), result, replicas.traffic());
            return CollectionConverters.asScala(List.of(outcome).iterator());
        }
    }
}
