package dev.braid.fusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;

/** Stand-alone parameters whose gradients a test sets to chosen values. */
final class TestParameters {

    private TestParameters() {}

    static Parameter parameter(NDManager manager, String name, float[] values, Shape shape) {
        Parameter parameter =
                Parameter.builder()
                        .setName(name)
                        .setType(
                                shape.dimension() > 1 ? Parameter.Type.WEIGHT : Parameter.Type.BIAS)
                        .optArray(manager.create(values, shape))
                        .build();
        parameter.getArray().setRequiresGradient(true);
        return parameter;
    }

    /**
     * Makes each parameter's gradient equal the given values: zeroes the gradients, then back
     * propagates {@code Σ_i sum(p_i * g_i)}, whose gradient with respect to {@code p_i} is {@code
     * g_i}.
     */
    static void setGradients(NDManager manager, List<Parameter> parameters, float[]... gradients) {
        Gradients.zero(parameters);
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = step.zeros(new Shape());
            for (int i = 0; i < parameters.size(); i++) {
                NDArray weight = parameters.get(i).getArray();
                NDArray g = step.create(gradients[i], weight.getShape());
                loss = loss.add(g.mul(weight).sum()); // g first: the result joins g's manager
            }
            collector.backward(loss);
        }
    }

    static float[] values(Parameter parameter) {
        return parameter.getArray().toFloatArray();
    }

    static float[] gradient(Parameter parameter) {
        try (NDArray gradient = parameter.getArray().getGradient()) {
            return gradient.toFloatArray();
        }
    }
}
