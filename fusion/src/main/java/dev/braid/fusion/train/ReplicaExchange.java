package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.braid.fusion.Modality;
import dev.braid.tensor.Scalars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What data-parallel replicas exchange, so that R replicas of A micro-batches each take the very
 * step one process takes with R·A micro-batches: once an epoch, the modalities each sample has
 * (modality dropout and the dropout seeds are drawn over all micro-batches in replica order, as one
 * process draws them); every step, the gradients, summed in replica order as {@link
 * MicroBatchThreads} sums micro-batches, and the batch-norm statistics, averaged.
 *
 * <p>Gradients travel as float32, 4 bytes a trainable weight and a replica, plus the statistics.
 */
final class ReplicaExchange {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaExchange.class);

    private ReplicaExchange() {}

    /**
     * Every replica's batches' sample modalities for an epoch ({@code mine} this replica's, from
     * {@code BatchLoader.modalities}), by replica: exchanged once an epoch, so a step exchanges
     * only its gradients.
     */
    static List<List<List<Set<Modality>>>> presence(
            Replicas replicas, List<List<Set<Modality>>> mine) {
        List<List<List<Set<Modality>>>> all = new ArrayList<>();
        for (byte[] message : replicas.allGather(encodePresence(mine))) {
            all.add(decodePresence(message));
        }
        return all;
    }

    /**
     * Where a checkpoint stands: its step, and the epoch and batch it continues at (a run paused by
     * {@code maxSteps} at the end of an epoch and the same run after that epoch's evaluation stand
     * at the same step, but not at the same place).
     */
    record Position(int step, int epoch, int batchInEpoch) implements Comparable<Position> {

        static Position of(TrainingState state) {
            return new Position(state.step(), state.epoch(), state.batchInEpoch());
        }

        @Override
        public int compareTo(Position other) {
            return Comparator.comparingInt(Position::step)
                    .thenComparingInt(Position::epoch)
                    .thenComparingInt(Position::batchInEpoch)
                    .compare(this, other);
        }

        @Override
        public String toString() {
            return "step " + step + " (epoch " + epoch + ", batch " + batchInEpoch + ")";
        }
    }

    /**
     * What the replicas agree on before their first step, in one exchange: that every replica has
     * as many batches an epoch as this one, and where they resume, the latest position of which
     * every replica has a checkpoint ({@code mine}: this replica's, newest first, from {@code
     * Checkpoint.stored}). When the run stopped, one replica may have written a checkpoint the
     * others had not; each keeps the one before it, so they go back to that one together.
     *
     * @return the position to resume from; empty to start from the beginning, as no checkpoint is
     *     common to all (or no replica has one)
     * @throws IllegalArgumentException if a replica has another number of batches an epoch
     */
    static Optional<Position> start(Replicas replicas, int batchesPerEpoch, List<Position> mine) {
        ByteBuffer message = ByteBuffer.allocate(4 * (2 + 3 * mine.size()));
        message.putInt(batchesPerEpoch).putInt(mine.size());
        for (Position p : mine) {
            message.putInt(p.step()).putInt(p.epoch()).putInt(p.batchInEpoch());
        }
        List<byte[]> all = replicas.allGather(message.array());
        Set<Position> common = new TreeSet<>(mine);
        List<List<Position>> everyone = new ArrayList<>();
        for (int r = 0; r < all.size(); r++) {
            ByteBuffer in = ByteBuffer.wrap(all.get(r));
            int theirs = in.getInt();
            if (theirs != batchesPerEpoch) {
                throw new IllegalArgumentException(
                        "replica "
                                + r
                                + " has "
                                + theirs
                                + " batches an epoch but replica "
                                + replicas.rank()
                                + " has "
                                + batchesPerEpoch
                                + ": give every replica a shard of the same size");
            }
            List<Position> their = new ArrayList<>();
            for (int n = in.getInt(); n > 0; n--) {
                their.add(new Position(in.getInt(), in.getInt(), in.getInt()));
            }
            everyone.add(their);
            common.retainAll(their);
        }
        Optional<Position> position = common.stream().max(Comparator.naturalOrder());
        boolean newest =
                mine.isEmpty() ? position.isEmpty() : position.equals(Optional.of(mine.get(0)));
        if (!newest) {
            LOG.warn(
                    "replica {} resumes from {} though its newest checkpoint is {}: the latest"
                            + " every replica has a checkpoint of (the replicas' checkpoints: {})",
                    replicas.rank(),
                    position.map(Position::toString).orElse("the beginning"),
                    mine.get(0),
                    everyone);
        }
        return position;
    }

    /**
     * Replaces each trainable weight's gradient with the sum over replicas (replica 0's, plus 1's,
     * ...) and each statistic with the mean, and returns the summed loss.
     *
     * @return the step's loss: the replicas' losses added in order
     * @throws IllegalStateException if a replica sent another step's gradients (they agree on the
     *     step at the start, so this is a guard that fails loudly instead of mixing steps)
     */
    static float sum(
            Replicas replicas,
            int step,
            float loss,
            List<Parameter> trainable,
            List<Parameter> statistics,
            NDManager scratch) {
        List<byte[]> all = replicas.allGather(encode(step, loss, trainable, statistics));
        List<DataInputStream> ins = new ArrayList<>();
        for (byte[] message : all) {
            ins.add(new DataInputStream(new ByteArrayInputStream(message)));
        }
        try {
            for (int r = 0; r < ins.size(); r++) {
                int theirs = ins.get(r).readInt();
                if (theirs != step) {
                    throw new IllegalStateException(
                            "replica "
                                    + r
                                    + " sent the gradients of step "
                                    + theirs
                                    + " but replica "
                                    + replicas.rank()
                                    + " is at step "
                                    + step
                                    + ": the replicas are out of step");
                }
            }
            float total = 0;
            for (DataInputStream in : ins) {
                total += in.readFloat();
            }
            for (Parameter parameter : trainable) {
                float[] sum = null;
                for (DataInputStream in : ins) {
                    float[] theirs = readArray(in);
                    if (theirs != null) {
                        sum = sum == null ? theirs : addInto(sum, theirs);
                    }
                }
                if (sum != null) {
                    setGradient(parameter, sum, scratch);
                }
            }
            for (Parameter parameter : statistics) {
                float[] sum = null;
                for (DataInputStream in : ins) {
                    float[] theirs = readArray(in);
                    sum = sum == null ? theirs : addInto(sum, theirs);
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] /= ins.size();
                }
                overwrite(parameter, sum, scratch);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("a replica's message is malformed", e);
        }
    }

    /**
     * Sets every parameter (weights and statistics) to its mean over the replicas, added in replica
     * order: for {@link ReplicaSync.ParametersEvery}.
     */
    static void average(Replicas replicas, List<Parameter> parameters, NDManager scratch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Parameter parameter : parameters) {
                writeArray(out, parameter.getArray().toFloatArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DataInputStream> ins = new ArrayList<>();
        for (byte[] message : replicas.allGather(bytes.toByteArray())) {
            ins.add(new DataInputStream(new ByteArrayInputStream(message)));
        }
        try {
            for (Parameter parameter : parameters) {
                float[] sum = null;
                for (DataInputStream in : ins) {
                    float[] theirs = readArray(in);
                    sum = sum == null ? theirs : addInto(sum, theirs);
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] /= ins.size();
                }
                overwrite(parameter, sum, scratch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a replica's message is malformed", e);
        }
    }

    private static byte[] encode(
            int step, float loss, List<Parameter> trainable, List<Parameter> statistics) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(step);
            out.writeFloat(loss);
            for (Parameter parameter : trainable) {
                try (NDArray gradient = JniUtils.getGradient((PtNDArray) parameter.getArray())) {
                    writeArray(out, gradient == null ? null : gradient.toFloatArray());
                }
            }
            for (Parameter parameter : statistics) {
                writeArray(out, parameter.getArray().toFloatArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Sets the gradient exactly: zeroed, then the sum added; or given, if it has none yet. */
    private static void setGradient(Parameter parameter, float[] sum, NDManager scratch) {
        NDArray weight = parameter.getArray();
        try (NDManager local = scratch.newSubManager()) {
            NDArray value = local.create(sum, weight.getShape());
            try (NDArray gradient = JniUtils.getGradient((PtNDArray) weight)) {
                if (gradient == null) {
                    MicroBatchParameters.giveGradient(weight, value);
                } else {
                    JniUtils.zeroGrad((PtNDArray) weight);
                    gradient.addi(value);
                }
            }
        }
    }

    /**
     * Writes {@code values} into the parameter's own storage, exactly: through a view without
     * autograd (in place on a weight that requires a gradient is refused), as 0·old + new. Not
     * {@code NDArray.set}, which gives the array new storage and leaves views of the old one (the
     * micro-batch threads' weights) behind.
     */
    private static void overwrite(Parameter parameter, float[] values, NDManager scratch) {
        NDArray own = parameter.getArray();
        try (NDManager local = scratch.newSubManager();
                NDArray view = own.stopGradient()) {
            NDArray value = local.create(values, own.getShape());
            Scalars.muli(view, 0).addi(value);
        }
    }

    private static float[] addInto(float[] sum, float[] theirs) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += theirs[i];
        }
        return sum;
    }

    private static void writeArray(DataOutputStream out, float[] values) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    private static float[] readArray(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] raw = new byte[4 * length];
        in.readFully(raw);
        float[] values = new float[length];
        ByteBuffer.wrap(raw).asFloatBuffer().get(values);
        return values;
    }

    private static byte[] encodePresence(List<List<Set<Modality>>> micro) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(micro.size());
            for (List<Set<Modality>> batch : micro) {
                out.writeInt(batch.size());
                for (Set<Modality> sample : batch) {
                    out.writeInt(sample.size());
                    for (Modality m : sample) {
                        out.writeUTF(m.name());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<List<Set<Modality>>> decodePresence(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            List<List<Set<Modality>>> micro = new ArrayList<>();
            int batches = in.readInt();
            for (int b = 0; b < batches; b++) {
                List<Set<Modality>> batch = new ArrayList<>();
                int samples = in.readInt();
                for (int s = 0; s < samples; s++) {
                    Set<Modality> has = new TreeSet<>();
                    int count = in.readInt();
                    for (int k = 0; k < count; k++) {
                        has.add(Modality.valueOf(in.readUTF()));
                    }
                    batch.add(has);
                }
                micro.add(batch);
            }
            return micro;
        } catch (IOException e) {
            throw new UncheckedIOException("a replica's message is malformed", e);
        }
    }
}
