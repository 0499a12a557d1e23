package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Adam with decoupled weight decay, exactly as PyTorch's {@code torch.optim.AdamW}, with state that
 * can be saved and restored.
 *
 * <p>DJL's own optimisers keep their moments private, so a run could not be resumed exactly; this
 * one keeps them as arrays in the manager it is given and writes them with {@link #save}.
 *
 * <p>For a parameter {@code p} with gradient {@code g} on its {@code t}-th update at learning rate
 * {@code lr}:
 *
 * <pre>
 * p -= lr * weightDecay * p                     (only if p has 2 or more dimensions)
 * m  = beta1 * m + (1 - beta1) * g
 * v  = beta2 * v + (1 - beta2) * g²
 * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p><b>No decay on 1-D parameters.</b> Biases, LayerNorm gains and shifts are left undecayed, as
 * in BERT and GPT training (nanoGPT's {@code configure_optimizers}): decay is meant to limit the
 * size of the weight matrices, while pulling a norm gain or a bias towards zero just rescales or
 * shifts activations and hurts without regularising.
 *
 * <p>{@code t} counts the updates of each parameter separately, as PyTorch does, so a parameter
 * that was frozen starts its bias correction afresh when unfrozen. {@link #steps()} counts calls to
 * {@link #step}.
 *
 * <p>The optimiser is built over every parameter of the model, frozen or not ({@link
 * TrainableParameters#all()}), in a fixed order; {@link #step} is given the ones to update ({@link
 * TrainableParameters#trainable()}). State is saved in that order with each parameter's name and
 * shape, which {@link #load} checks.
 */
public final class AdamW implements AutoCloseable {

    private static final int FORMAT = 1;
    private static final String MAGIC = "braid.AdamW";

    private final AdamWConfig config;
    private final NDManager manager;
    private final List<Parameter> parameters;
    private final Map<Parameter, Integer> index = new IdentityHashMap<>();
    private final NDArray[] firstMoments;
    private final NDArray[] secondMoments;
    private final int[] updates;
    private int steps;

    /**
     * An optimiser with no state yet.
     *
     * @param config betas, eps and weight decay
     * @param manager owns the moments; the model's manager, so they live as long as the model
     * @param parameters every parameter {@link #step} may be given, in a fixed order
     */
    public AdamW(AdamWConfig config, NDManager manager, List<Parameter> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = List.copyOf(parameters);
        for (int i = 0; i < this.parameters.size(); i++) {
            index.put(this.parameters.get(i), i);
        }
        this.firstMoments = new NDArray[this.parameters.size()];
        this.secondMoments = new NDArray[this.parameters.size()];
        this.updates = new int[this.parameters.size()];
    }

    /** The hyper-parameters. */
    public AdamWConfig config() {
        return config;
    }

    /** How many times {@link #step} has been called. */
    public int steps() {
        return steps;
    }

    /**
     * Updates each parameter in place from its gradient, which is read but not cleared. Give it
     * finite gradients only ({@link Gradients#clipByGlobalNorm} returns a non-finite norm
     * otherwise): a NaN would stay in the moments for good.
     *
     * @param toUpdate the parameters to update, each one of those the optimiser was built over
     * @param learningRate this step's learning rate
     * @throws IllegalArgumentException if a parameter is not one the optimiser was built over
     */
    public void step(List<Parameter> toUpdate, float learningRate) {
        step(toUpdate, learningRate, 1f);
    }

    /**
     * As {@link #step(List, float)} with every gradient first multiplied by {@code gradientScale}
     * (inside the update: the gradients themselves are left as they are). Clipping by global norm
     * passes {@code maxNorm / norm} here rather than scaling each gradient in a call of its own.
     */
    public void step(List<Parameter> toUpdate, float learningRate, float gradientScale) {
        step(toUpdate, learningRate, gradientScale, List::forEach);
    }

    /**
     * As {@link #step(List, float, float)}, the parameters' updates run by {@code forEach}: each
     * parameter's update touches only its own weight and moments, so running them on several
     * threads at once gives the same result.
     */
    public void step(
            List<Parameter> toUpdate,
            float learningRate,
            float gradientScale,
            BiConsumer<List<Parameter>, Consumer<Parameter>> forEach) {
        for (Parameter parameter : toUpdate) {
            if (!index.containsKey(parameter)) {
                throw new IllegalArgumentException(
                        "parameter "
                                + parameter.getName()
                                + " is not one this optimiser was built over; build AdamW"
                                + " over TrainableParameters.all()");
            }
            // the moments are made here, not in the threads: they go on the optimiser's manager
            int i = index.get(parameter);
            if (firstMoments[i] == null) {
                NDArray weight = parameter.getArray();
                firstMoments[i] = manager.zeros(weight.getShape(), weight.getDataType());
                secondMoments[i] = manager.zeros(weight.getShape(), weight.getDataType());
            }
        }
        forEach.accept(
                toUpdate, p -> update(index.get(p), p.getArray(), learningRate, gradientScale));
        steps++;
    }

    private void update(int i, NDArray weight, float lr, float gradientScale) {
        int t = ++updates[i];
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        // One native call per parameter (libtorch's in-place mul_/add_/addcmul_/sub_) instead of a
        // dozen DJL calls, each a JNI crossing and a new array. The native update computes
        //   p -= lr * wd * p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g²;
        //   p -= c * m / (sqrt(v) + e)
        // which is the update above with c = lr sqrt(1 - beta2^t) / (1 - beta1^t) and
        // e = eps sqrt(1 - beta2^t).
        double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr * correction2Sqrt / (1 - Math.pow(beta1, t)));
        float eps = (float) (config.eps() * correction2Sqrt);
        float decay = weight.getShape().dimension() > 1 ? (float) config.weightDecay() : 0f;
        try (NDArray g = weight.getGradient()) {
            JniUtils.adamUpdate(
                    (PtNDArray) weight,
                    (PtNDArray) g,
                    (PtNDArray) firstMoments[i],
                    (PtNDArray) secondMoments[i],
                    lr,
                    stepSize,
                    decay,
                    gradientScale,
                    -1f, // no element-wise clipping
                    (float) beta1,
                    (float) beta2,
                    eps,
                    true);
        }
    }

    /**
     * Writes the configuration, the step count and each parameter's update count and moments.
     *
     * @throws IOException if writing fails
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT);
        out.writeDouble(config.beta1());
        out.writeDouble(config.beta2());
        out.writeDouble(config.eps());
        out.writeDouble(config.weightDecay());
        out.writeInt(steps);
        out.writeInt(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            out.writeUTF(parameter.getName());
            writeShape(out, parameter.getArray().getShape());
            out.writeInt(updates[i]);
            out.writeBoolean(firstMoments[i] != null);
            if (firstMoments[i] != null) {
                writeArray(out, firstMoments[i]);
                writeArray(out, secondMoments[i]);
            }
        }
    }

    /**
     * Reads an optimiser written by {@link #save}, with its saved configuration.
     *
     * @param in the stream positioned where {@link #save} started writing
     * @param manager owns the moments
     * @param parameters the model's parameters in the same order as when saved
     * @throws IOException if reading fails, the stream is not AdamW state, or the number, names or
     *     shapes of the parameters differ from the saved ones
     */
    public static AdamW load(DataInputStream in, NDManager manager, List<Parameter> parameters)
            throws IOException {
        String magic = in.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not AdamW state: header is '" + magic + "'");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(
                    "AdamW state format " + format + " is not supported (expected " + FORMAT + ")");
        }
        AdamWConfig config =
                new AdamWConfig(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        AdamW optimizer = new AdamW(config, manager, parameters);
        optimizer.steps = in.readInt();
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException(
                    "AdamW state holds "
                            + count
                            + " parameters but the model has "
                            + parameters.size()
                            + "; was it saved for another model?");
        }
        for (int i = 0; i < count; i++) {
            Parameter parameter = parameters.get(i);
            String name = in.readUTF();
            Shape shape = readShape(in);
            Shape actual = parameter.getArray().getShape();
            if (!name.equals(parameter.getName()) || !shape.equals(actual)) {
                throw new IOException(
                        "AdamW state parameter "
                                + i
                                + " is "
                                + name
                                + " "
                                + shape
                                + " but the model's is "
                                + parameter.getName()
                                + " "
                                + actual);
            }
            optimizer.updates[i] = in.readInt();
            if (in.readBoolean()) {
                optimizer.firstMoments[i] = readArray(in, manager, shape);
                optimizer.secondMoments[i] = readArray(in, manager, shape);
            }
        }
        return optimizer;
    }

    private static void writeShape(DataOutputStream out, Shape shape) throws IOException {
        out.writeInt(shape.dimension());
        for (long dimension : shape.getShape()) {
            out.writeLong(dimension);
        }
    }

    private static Shape readShape(DataInputStream in) throws IOException {
        int rank = in.readInt();
        if (rank < 0 || rank > 32) {
            throw new IOException("corrupt AdamW state: rank " + rank);
        }
        long[] dimensions = new long[rank];
        for (int d = 0; d < rank; d++) {
            dimensions[d] = in.readLong();
        }
        return new Shape(dimensions);
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager, Shape shape)
            throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("corrupt AdamW state: array of " + length + " bytes");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("AdamW state is truncated");
        }
        NDArray array = NDArray.decode(manager, bytes);
        if (!array.getShape().equals(shape)) {
            array.close();
            throw new IOException(
                    "corrupt AdamW state: moment of shape " + array.getShape() + ", not " + shape);
        }
        return array;
    }

    /** Frees the moments. */
    @Override
    public void close() {
        for (int i = 0; i < parameters.size(); i++) {
            if (firstMoments[i] != null) {
                firstMoments[i].close();
                secondMoments[i].close();
                firstMoments[i] = null;
                secondMoments[i] = null;
            }
        }
    }
}
