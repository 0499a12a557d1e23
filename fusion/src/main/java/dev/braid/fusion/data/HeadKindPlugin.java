package dev.braid.fusion.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.braid.fusion.predict.Prediction;
import java.util.List;
import java.util.Map;

/**
 * Adds a head kind to Braid from outside its sources: how a head of the kind reads its labels, its
 * class names and output width, its batch targets, its loss, its metrics and how it answers a
 * prediction. Register it with {@link HeadKindPlugins#register}, or list the class in {@code
 * META-INF/services/dev.braid.fusion.data.HeadKindPlugin} of its jar. A head has a plug-in kind
 * only when the run declares it ({@link TaskSchema#infer(List, Map)}); then the collator, the
 * training loop, the evaluator, the predictor and saved model directories handle it like the
 * built-in kinds. A saved model records the plug-in's class name, and loading it without the
 * plug-in is an error naming that class.
 *
 * <p>Labels reach the plug-in as the manifest reader parsed them ({@link Label}: a number, a class
 * name, a list of names); B is the batch size, C the head's {@link #outputs output width}, W the
 * width of one sample's targets.
 */
public interface HeadKindPlugin {

    /** The kind this plug-in adds ({@link HeadKind#custom}). */
    HeadKind kind();

    /**
     * Checks that one row's label can train a head of this kind.
     *
     * @throws IllegalArgumentException saying what is wrong with the label; Braid adds the manifest
     *     line and the head
     */
    void check(Label label);

    /**
     * The head's class names, in output order, from the labels of its training rows (each already
     * {@link #check checked}); empty if the kind has none. Saved with the model, and given back to
     * {@link #targets}, {@link #metrics} and {@link #answer} as {@link HeadSpec#classes()}.
     *
     * @throws IllegalArgumentException if the labels cannot make a head
     */
    List<String> classes(List<Label> labels);

    /** The number of outputs C of a head with {@code classes}; at least 1. */
    int outputs(List<String> classes);

    /**
     * One batch's targets: a {@link HeadTargets.Rows} of W numbers per sample, or a {@link
     * HeadTargets} of the plug-in's own.
     *
     * @param labels per sample its checked label, or null where the row does not label this head
     *     (its presence false, its values zero)
     * @throws IllegalArgumentException if a label does not fit {@code head} (a rank it never had)
     */
    HeadTargets targets(HeadSpec head, List<Label> labels);

    /**
     * The loss of a batch, a scalar: the mean over the samples present.
     *
     * @param logits {@code [B, C]}
     * @param targets {@link HeadTargets#toNDList} of {@link #targets}: values and present {@code
     *     [B]}
     */
    NDArray loss(NDArray logits, NDList targets);

    /**
     * The head's scores on the labelled samples of a split, by metric name (Braid reports them as
     * {@code <head>/<name>}).
     *
     * @param outputs per sample its C outputs
     * @param targets per sample its W target numbers ({@link HeadTargets#row})
     */
    Map<String, Double> metrics(HeadSpec head, List<float[]> outputs, List<float[]> targets);

    /** The head's answer for one sample from its C outputs. */
    Prediction.HeadPrediction answer(HeadSpec head, float[] outputs);
}
