package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.braid.tensor.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * <p>Small parameters are updated on flat arrays: the gradients of those that share an update count
 * are copied one after another into one array, their moments are one array each (every parameter's
 * moments a view into it), and each weight adds its slice of the step; a call per parameter costs
 * more than its arithmetic. A parameter of {@value #LARGE} elements or more is updated by one fused
 * native call of its own, which passes over its memory fewest times.
 *
 * <p>The optimiser is built over every parameter of the model, frozen or not ({@link
 * TrainableParameters#all()}), in a fixed order; {@link #step} is given the ones to update ({@link
 * TrainableParameters#trainable()}). State is saved in that order with each parameter's name and
 * shape, which {@link #load} checks.
 */
public final class AdamW implements AutoCloseable {

    private static final int FORMAT = 1;
    private static final String MAGIC = "braid.AdamW";
    // from this many elements, a parameter's fused native update beats its share of flat passes
    private static final long LARGE = 65536;

    private final AdamWConfig config;
    private final NDManager manager;
    private final List<Parameter> parameters;
    private final Map<Parameter, Integer> index = new IdentityHashMap<>();
    private final NDArray[] firstMoments;
    private final NDArray[] secondMoments;
    private final int[] updates;
    private List<FlatGroup> groups = List.of();
    private int[] alone = new int[0]; // large parameters, each updated by a native call of its own
    private List<Parameter> grouped; // the parameters the groups were made for
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
     * (inside the update: the gradients themselves are left as they are).
     */
    public void step(List<Parameter> toUpdate, float learningRate, float gradientScale) {
        update(toUpdate, learningRate, 0f, gradientScale);
    }

    /**
     * Clips the gradients of {@code toUpdate} by their global norm (if it exceeds {@code maxNorm},
     * every gradient is scaled by {@code maxNorm / norm} inside the update) and takes the step; or,
     * if the norm is not finite, leaves the weights and moments as they were (a NaN would stay in
     * the moments for good). One flat copy of each group's gradients serves both the norm and the
     * update.
     *
     * @param maxNorm the largest global norm; 0 or less for no clipping (the norm is computed
     *     anyway)
     * @return the global norm of the gradients, {@code sqrt(Σ g²)}, before clipping; not finite if
     *     any gradient element is not, and then nothing was updated
     * @throws IllegalArgumentException if a parameter is not one the optimiser was built over
     */
    public float clipAndStep(List<Parameter> toUpdate, float learningRate, float maxNorm) {
        return update(toUpdate, learningRate, maxNorm > 0 ? maxNorm : Float.POSITIVE_INFINITY, 1f);
    }

    /** maxNorm 0: no norm, scale by {@code gradientScale}; otherwise clip to maxNorm. */
    private float update(
            List<Parameter> toUpdate, float learningRate, float maxNorm, float gradientScale) {
        for (Parameter parameter : toUpdate) {
            if (!index.containsKey(parameter)) {
                throw new IllegalArgumentException(
                        "parameter "
                                + parameter.getName()
                                + " is not one this optimiser was built over; build AdamW"
                                + " over TrainableParameters.all()");
            }
        }
        if (!sameParameters(toUpdate, grouped)) {
            regroup(toUpdate);
        }
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // in-place updates of weights autograd must not record
        try (NDManager scratch = manager.newSubManager()) {
            NDArray[] gradients = new NDArray[groups.size() + alone.length];
            for (int k = 0; k < groups.size(); k++) {
                gradients[k] = groups.get(k).gradients(scratch);
            }
            for (int k = 0; k < alone.length; k++) {
                NDArray gradient = parameters.get(alone[k]).getArray().getGradient();
                gradient.attach(scratch);
                gradients[groups.size() + k] = gradient;
            }
            float norm = Float.NaN;
            float scale = gradientScale;
            if (maxNorm > 0) {
                norm = globalNorm(gradients);
                if (!Float.isFinite(norm)) {
                    return norm;
                }
                scale = norm > maxNorm ? maxNorm / norm : 1f;
            }
            for (int k = 0; k < groups.size(); k++) {
                groups.get(k).update(gradients[k], learningRate, scale);
            }
            for (int k = 0; k < alone.length; k++) {
                updateAlone(alone[k], gradients[groups.size() + k], learningRate, scale);
            }
            steps++;
            return norm;
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** {@code sqrt(Σ g²)} over the gradients, their sums added in order, read back once. */
    private static float globalNorm(NDArray[] gradients) {
        if (gradients.length == 0) {
            return 0f;
        }
        NDArray sum = gradients[0].square().sum();
        for (int k = 1; k < gradients.length; k++) {
            sum = sum.add(gradients[k].square().sum());
        }
        return sum.sqrt().getFloat();
    }

    /**
     * Parameter {@code i}'s update in one native call (libtorch's in-place mul_/add_/addcmul_/ sub_
     * over its own arrays): for a large weight the fewest passes over memory. It computes {@code p
     * -= lr wd p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; p -= c m / (sqrt(v) + e)}, the
     * update above with {@code c = lr sqrt(1 - beta2^t) / (1 - beta1^t)} and {@code e = eps sqrt(1
     * - beta2^t)}.
     */
    private void updateAlone(int i, NDArray gradient, float lr, float gradientScale) {
        int t = ++updates[i];
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        NDArray weight = parameters.get(i).getArray();
        JniUtils.adamUpdate(
                (PtNDArray) weight,
                (PtNDArray) gradient,
                (PtNDArray) firstMoments[i],
                (PtNDArray) secondMoments[i],
                lr,
                (float) (lr * correction2Sqrt / (1 - Math.pow(beta1, t))),
                weight.getShape().dimension() > 1 ? (float) config.weightDecay() : 0f,
                gradientScale,
                -1f, // no element-wise clipping
                (float) beta1,
                (float) beta2,
                (float) (config.eps() * correction2Sqrt),
                true);
    }

    private static boolean sameParameters(List<Parameter> a, List<Parameter> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts {@code toUpdate} into groups of parameters that have had the same number of updates (all
     * of them, unless some were frozen for a while), each group's moments one flat array a moment
     * that each parameter's moments are views of. One step then costs a dozen operations over each
     * group's flat arrays and three per parameter, instead of the dozen per parameter that made the
     * update a tenth of a small model's step.
     */
    private void regroup(List<Parameter> toUpdate) {
        Map<Integer, List<Integer>> byUpdates = new TreeMap<>();
        List<Integer> large = new ArrayList<>();
        for (Parameter parameter : toUpdate) {
            int i = index.get(parameter);
            if (parameter.getArray().size() >= LARGE) {
                large.add(i);
            } else {
                byUpdates.computeIfAbsent(updates[i], k -> new ArrayList<>()).add(i);
            }
        }
        List<FlatGroup> regrouped = new ArrayList<>();
        for (List<Integer> members : byUpdates.values()) {
            regrouped.add(new FlatGroup(members));
        }
        closeGroups(); // after the new groups copied the moments out of the old ones
        for (int i : large) {
            if (firstMoments[i] == null) {
                NDArray weight = parameters.get(i).getArray();
                firstMoments[i] = manager.zeros(weight.getShape(), weight.getDataType());
                secondMoments[i] = manager.zeros(weight.getShape(), weight.getDataType());
            }
        }
        groups = regrouped;
        alone = large.stream().mapToInt(Integer::intValue).toArray();
        grouped = List.copyOf(toUpdate);
    }

    private void closeGroups() {
        for (FlatGroup group : groups) {
            group.close();
        }
        groups = List.of();
        alone = new int[0];
        grouped = null;
    }

    /** Parameters with the same update count, their moments in one flat array each. */
    private final class FlatGroup implements AutoCloseable {
        private final int[] members;
        private final long[] offsets; // member k's elements are [offsets[k], offsets[k + 1])
        private final NDArray first;
        private final NDArray second;

        FlatGroup(List<Integer> members) {
            this.members = members.stream().mapToInt(Integer::intValue).toArray();
            this.offsets = new long[this.members.length + 1];
            try (NDManager scratch = manager.newSubManager()) {
                NDList firsts = new NDList(this.members.length);
                NDList seconds = new NDList(this.members.length);
                for (int k = 0; k < this.members.length; k++) {
                    int i = this.members[k];
                    NDArray weight = parameters.get(i).getArray();
                    offsets[k + 1] = offsets[k] + weight.size();
                    firsts.add(flat(firstMoments[i], weight, scratch));
                    seconds.add(flat(secondMoments[i], weight, scratch));
                }
                first = NDArrays.concat(firsts);
                second = NDArrays.concat(seconds);
                first.attach(manager);
                second.attach(manager);
            }
            for (int k = 0; k < this.members.length; k++) {
                int i = this.members[k];
                Shape shape = parameters.get(i).getArray().getShape();
                if (firstMoments[i] != null) {
                    firstMoments[i].close();
                    secondMoments[i].close();
                }
                firstMoments[i] = slice(first, k, shape, manager);
                secondMoments[i] = slice(second, k, shape, manager);
            }
        }

        /** A moment (zeros if it has none yet) as one row of elements, on {@code scratch}. */
        private static NDArray flat(NDArray moment, NDArray weight, NDManager scratch) {
            NDArray flat =
                    moment == null
                            ? scratch.zeros(new Shape(weight.size()), weight.getDataType())
                            : moment.reshape(-1);
            flat.attach(scratch);
            return flat;
        }

        /** Member {@code k}'s part of {@code flat}, a view in {@code shape}. */
        private NDArray slice(NDArray flat, int k, Shape shape, NDManager owner) {
            NDArray part = flat.get(new NDIndex().addSliceDim(offsets[k], offsets[k + 1]));
            NDArray view = part.reshape(shape);
            view.attach(owner);
            part.close();
            return view;
        }

        /** The members' gradients, one after another in one flat array on {@code scratch}. */
        NDArray gradients(NDManager scratch) {
            NDList rows = new NDList(members.length);
            for (int i : members) {
                NDArray gradient = parameters.get(i).getArray().getGradient();
                gradient.attach(scratch);
                NDArray row = gradient.reshape(-1);
                row.attach(scratch);
                rows.add(row);
            }
            NDArray flat = NDArrays.concat(rows);
            flat.attach(scratch);
            return flat;
        }

        /** One update from the members' flat gradients {@code g}, scaled by {@code scale}. */
        void update(NDArray g, float lr, float scale) {
            int t = ++updates[members[0]];
            for (int k = 1; k < members.length; k++) {
                updates[members[k]] = t;
            }
            double beta1 = config.beta1();
            double beta2 = config.beta2();
            // m / (sqrt(v) / sqrt(1 - beta2^t) + eps) * lr / (1 - beta1^t), as
            //   c * m / (sqrt(v) + e)  with c = lr sqrt(1 - beta2^t) / (1 - beta1^t), e = eps
            // sqrt(..)
            double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
            double stepSize = lr * correction2Sqrt / (1 - Math.pow(beta1, t));
            float eps = (float) (config.eps() * correction2Sqrt);
            NDManager scratch = g.getManager();
            if (scale != 1f) {
                Scalars.muli(g, scale);
            }
            // results of operations on the moments go to their manager: each is moved here
            Scalars.muli(first, beta1).addi(Scalars.mul(g, 1 - beta1));
            Scalars.muli(second, beta2).addi(Scalars.muli(g.square(), 1 - beta2));
            NDArray denominator = second.sqrt();
            denominator.attach(scratch);
            NDArray step = first.div(denominator.addi(eps));
            step.attach(scratch);
            Scalars.muli(step, -stepSize);
            float shrink = (float) (1 - lr * config.weightDecay());
            for (int k = 0; k < members.length; k++) {
                NDArray weight = parameters.get(members[k]).getArray();
                NDArray part = slice(step, k, weight.getShape(), scratch);
                if (weight.getShape().dimension() > 1 && shrink != 1f) {
                    Scalars.muli(weight, shrink); // decoupled decay, matrices only
                }
                weight.addi(part);
            }
        }

        @Override
        public void close() {
            first.close();
            second.close();
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
        closeGroups();
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
