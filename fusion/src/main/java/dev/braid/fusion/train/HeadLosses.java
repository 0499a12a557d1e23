package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.braid.fusion.data.HeadTargets;
import dev.braid.fusion.model.Losses;
import java.util.Map;

/** The training loss of all heads: each head's loss on its labelled samples, summed. */
final class HeadLosses {

    private HeadLosses() {}

    /**
     * @param logits each head's output, by name
     * @param targets each head's targets, by name
     * @param labelSmoothing applied to classification heads
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
            NDArray loss =
                    switch (target.kind()) {
                        case CLASSIFICATION ->
                                Losses.crossEntropy(
                                        head.getValue(), t.get(0), t.get(1), labelSmoothing, null);
                        case MULTI_LABEL ->
                                Losses.binaryCrossEntropy(head.getValue(), t.get(0), t.get(1));
                        case REGRESSION ->
                                Losses.meanSquaredError(head.getValue(), t.get(0), t.get(1));
                    };
            total = total == null ? loss : total.add(loss);
        }
        if (total == null) {
            throw new IllegalStateException(
                    "no head has targets in this batch: check the task schema");
        }
        return total;
    }
}
