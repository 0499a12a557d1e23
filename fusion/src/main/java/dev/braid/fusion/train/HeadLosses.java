package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadKindPlugins;
import dev.braid.fusion.data.HeadTargets;
import dev.braid.fusion.model.Losses;
import java.util.Map;

/** The training loss of all heads: each head's loss on its labelled samples, summed. */
final class HeadLosses {

    private HeadLosses() {}

    /**
     * @param logits each head's output, by name
     * @param targets each head's targets, by name
     * @param labelSmoothing applied to classification heads (a plug-in kind's loss has its own)
     * @return a scalar; 0 if no head has targets (e.g. contrastive pre-training on unlabeled data)
     */
    static NDArray total(
            Map<String, NDArray> logits,
            Map<String, HeadTargets> targets,
            float labelSmoothing,
            NDManager manager) {
        NDArray total = null;
        for (Map.Entry<String, NDArray> head : logits.entrySet()) {
            HeadTargets target = targets.get(head.getKey());
            if (target == null) {
                continue; // no dataset in this run labels this head
            }
            NDList t = target.toNDList(manager);
            HeadKind kind = target.kind();
            NDArray loss;
            if (kind.equals(HeadKind.CLASSIFICATION)) {
                loss =
                        Losses.crossEntropy(
                                head.getValue(), t.get(0), t.get(1), labelSmoothing, null);
            } else if (kind.equals(HeadKind.MULTI_LABEL)) {
                loss = Losses.binaryCrossEntropy(head.getValue(), t.get(0), t.get(1));
            } else if (kind.equals(HeadKind.REGRESSION)) {
                loss = Losses.meanSquaredError(head.getValue(), t.get(0), t.get(1));
            } else {
                loss = HeadKindPlugins.of(kind).loss(head.getValue(), t);
            }
            total = total == null ? loss : total.add(loss);
        }
        if (total == null) {
            throw new IllegalStateException(
                    "no head has targets in this batch: check the task schema");
        }
        return total;
    }
}
