package dev.braid.fusion.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.braid.tensor.Scalars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's parameters as one micro-batch of a step sees them when the step's micro-batches are
 * computed at once: the model's own weights, but gradients and batch-norm statistics of its own.
 *
 * <p>A weight is a view of the model's tensor ({@code detach()}: the same storage, a gradient of
 * its own), so nothing is copied and the optimiser's update is seen at once. Running statistics,
 * which the forward pass updates in place, are a copy taken from the model's before the step. After
 * the step, {@link #addGradientTo} adds each gradient to the model's, and {@link
 * #averageStatistics} averages the copies with the model's own.
 */
final class MicroBatchParameters extends ParameterStore implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray> views = new HashMap<>();
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> statistics = new ArrayList<>();

    /** Views of {@code parameters}, living in a sub-manager of {@code parent} until closed. */
    MicroBatchParameters(List<Parameter> parameters, NDManager parent) {
        super(parent, false);
        this.manager = parent.newSubManager();
        for (Parameter parameter : parameters) {
            NDArray own = parameter.getArray();
            NDArray view;
            if (isStatistic(parameter)) {
                view = own.duplicate();
                statistics.add(parameter);
            } else {
                view = own.stopGradient();
                if (parameter.requiresGradient()) {
                    view.setRequiresGradient(true);
                    weights.add(parameter);
                }
            }
            view.attach(manager);
            views.put(parameter.getId(), view);
        }
    }

    /** Whether the forward pass writes this parameter (batch norm's running mean and variance). */
    static boolean isStatistic(Parameter parameter) {
        return parameter.getType() == Parameter.Type.RUNNING_MEAN
                || parameter.getType() == Parameter.Type.RUNNING_VAR;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray view = parameter == null ? null : views.get(parameter.getId());
        return view != null ? view : super.getValue(parameter, device, training);
    }

    /** Sets this micro-batch's statistics to copies of the model's, before its forward pass. */
    void resetStatistics() {
        for (Parameter parameter : statistics) {
            views.get(parameter.getId()).close();
            NDArray copy = parameter.getArray().duplicate();
            copy.attach(manager);
            views.put(parameter.getId(), copy);
        }
    }

    /** The weights this micro-batch has gradients of its own for. */
    List<Parameter> weights() {
        return weights;
    }

    /**
     * Adds this micro-batch's gradient of {@code parameter} to the model's, then zeroes its own.
     */
    void addGradientTo(Parameter parameter) {
        NDArray view = views.get(parameter.getId());
        try (NDArray mine = view.getGradient();
                NDArray model = JniUtils.getGradient((PtNDArray) parameter.getArray())) {
            if (model == null) {
                giveGradient(parameter.getArray(), mine);
            } else {
                model.addi(mine);
            }
        }
        JniUtils.zeroGrad((PtNDArray) view);
    }

    /**
     * Gives {@code weight}, which has no gradient yet (micro-batch 0 did not reach it), the
     * gradient {@code gradient}, exactly: that of {@code sum(weight * gradient)}. libtorch
     * allocates a gradient only in a backward pass, and DJL has no call that sets one.
     */
    static void giveGradient(NDArray weight, NDArray gradient) {
        try (GradientRecording recording = GradientRecording.start();
                NDArray product = weight.mul(gradient);
                NDArray sum = product.sum()) {
            recording.backward(sum);
        }
    }

    /** This micro-batch's running statistics, after its forward pass. */
    NDArray statistic(Parameter parameter) {
        return views.get(parameter.getId());
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Sets each statistic of the model to the mean over the micro-batches of the step. */
    static void averageStatistics(List<MicroBatchParameters> others) {
        if (others.isEmpty()) {
            return;
        }
        for (Parameter parameter : others.get(0).statistics) {
            NDArray model = parameter.getArray();
            for (MicroBatchParameters other : others) {
                model.addi(other.statistic(parameter));
            }
            Scalars.divi(model, others.size() + 1);
        }
    }
}
