package dev.braid.spark;

import dev.braid.fusion.train.Replicas;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;

/**
 * The tasks of a Spark barrier stage as data-parallel {@link Replicas}: rank is the partition,
 * {@link #allGather} is {@link BarrierTaskContext#allGather}, which takes strings, so each message
 * travels Base64-encoded (4/3 of its bytes) through the driver, which hands every task all of them.
 * Counts what it sends and how long it waits, for measurements.
 */
final class BarrierReplicas implements Replicas {

    private final BarrierTaskContext context;
    private long bytesSent;
    private long calls;
    private long nanosWaiting;

    BarrierReplicas(BarrierTaskContext context) {
        this.context = context;
    }

    @Override
    public int rank() {
        return context.partitionId();
    }

    @Override
    public int count() {
        return context.getTaskInfos().length;
    }

    @Override
    public List<byte[]> allGather(byte[] message) {
        long started = System.nanoTime();
        String encoded = Base64.getEncoder().encodeToString(message);
        String[] all = context.allGather(encoded);
        List<byte[]> out = new ArrayList<>(all.length);
        for (String s : all) {
            out.add(Base64.getDecoder().decode(s));
        }
        bytesSent += encoded.length();
        calls++;
        nanosWaiting += System.nanoTime() - started;
        return out;
    }

    /** What this replica has exchanged so far. */
    BarrierTraining.Traffic traffic() {
        return new BarrierTraining.Traffic(calls, bytesSent, nanosWaiting / 1e9);
    }
}
