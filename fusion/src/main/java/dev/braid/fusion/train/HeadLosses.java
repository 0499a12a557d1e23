package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadKindPlugins;
import dev.braid.fusion.data.HeadTargets;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.Losses;
import dev.braid.fusion.model.ReplyHead;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training loss of all heads: each head's loss on its labelled samples, summed; a generation
 * head's is its {@link TeacherForcedLoss}.
 */
final class HeadLosses {

    private HeadLosses() {}

    /**
     * One forward pass of the model over a batch, what the heads' losses read.
     *
     * @param encoded each non-generating head's output, and what the generation heads' memory is
     *     made of: each modality's encoder {@code (tokens, mask)} and the fusion's output
     * @param inputs the model's inputs, by modality
     */
    record Forward(FusionModel.Encoded encoded, Map<Modality, NDList> inputs) {

        Map<String, NDArray> logits() {
            return encoded.logits();
        }
    }

    /**
     * The heads' summed loss and the generation heads' passes it was computed from.
     *
     * @param loss a scalar
     * @param replies each generation head's teacher-forced pass, by name, for the heads with
     *     targets in the batch
     */
    record Total(NDArray loss, Map<String, TeacherForcedReply> replies) {}

    /**
     * Every head's loss, summed: the classification, multi-label, regression and plug-in heads'
     * from {@code forward.logits()}, each generation head's teacher-forced.
     *
     * @param labelSmoothing applied to classification and generation heads (a plug-in kind's loss
     *     has its own)
     * @throws IllegalStateException if no head has targets
     */
    static Total total(
            FusionModel model,
            ParameterStore store,
            Forward forward,
            Map<String, HeadTargets> targets,
            float labelSmoothing,
            NDManager manager,
            boolean training) {
        NDArray total = classified(forward.logits(), targets, labelSmoothing, manager);
        Map<String, TeacherForcedReply> replies = new TreeMap<>();
        for (Map.Entry<String, ReplyHead> head : model.replyHeads().entrySet()) {
            if (targets.get(head.getKey()) instanceof HeadTargets.Texts texts) {
                TeacherForcedLoss.Result result =
                        TeacherForcedLoss.of(
                                head.getValue(),
                                store,
                                forward.encoded(),
                                forward.inputs(),
                                texts,
                                labelSmoothing,
                                manager,
                                training);
                replies.put(head.getKey(), result.reply());
                total = total == null ? result.loss() : total.add(result.loss());
            }
        }
        return new Total(checked(total), replies);
    }

    /**
     * The heads' losses from their logits, summed (a model without generation heads).
     *
     * @param logits each head's output, by name
     * @param targets each head's targets, by name
     * @param labelSmoothing applied to classification heads (a plug-in kind's loss has its own)
     * @return a scalar
     * @throws IllegalStateException if no head has targets (check the schema)
     */
    static NDArray total(
            Map<String, NDArray> logits,
            Map<String, HeadTargets> targets,
            float labelSmoothing,
            NDManager manager) {
        return checked(classified(logits, targets, labelSmoothing, manager));
    }

    /** The heads of {@code logits}' losses summed, or null if none has targets. */
    static NDArray classified(
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
        return total;
    }

    private static NDArray checked(NDArray total) {
        if (total == null) {
            throw new IllegalStateException(
                    "no head has targets in this batch: check the task schema");
        }
        return total;
    }
}
