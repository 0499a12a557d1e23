package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.HeadTargets;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.text.decoder.DecoderBatch;
import dev.braid.text.decoder.DecoderLoss;
import dev.braid.text.decoder.TeacherForcing;
import java.util.Map;

/**
 * The loss of a generation head on one batch, teacher-forced: each sample's text is fed as {@code
 * [CLS] y} under the decoder's causal mask over the memory of that sample's encoder tokens, and
 * scored against {@code y [SEP]} by label-smoothed cross-entropy over its real tokens (padding, and
 * the rows that do not label the head, ignored). Texts longer than the decoder's {@code maxLength}
 * lose their tail.
 */
final class TeacherForcedLoss {

    /**
     * @param loss the mean over the scored tokens, a scalar; 0 if none is scored
     * @param tokens how many tokens were scored
     * @param reply the pass the loss was computed from
     */
    record Result(NDArray loss, long tokens, TeacherForcedReply reply) {}

    private TeacherForcedLoss() {}

    /**
     * @param encoded the model's pass: each modality's encoder tokens and the fusion's output
     * @param inputs per modality the model's inputs (the text's ids let a copying decoder copy)
     * @param targets the head's texts in this batch
     * @param labelSmoothing e in [0, 1)
     * @param manager the batch's manager
     */
    static Result of(
            ReplyHead head,
            ParameterStore store,
            FusionModel.Encoded encoded,
            Map<Modality, NDList> inputs,
            HeadTargets.Texts targets,
            float labelSmoothing,
            NDManager manager,
            boolean training) {
        NDList memory = head.memory(store, encoded, inputs, training);
        DecoderBatch taught =
                TeacherForcing.batch(
                        manager,
                        java.util.Arrays.asList(targets.tokens()),
                        head.config().maxLength(),
                        targets.special());
        NDArray logits =
                head.forward(
                                store,
                                ReplyHead.decoderInput(taught.inputs(), taught.mask(), memory),
                                training)
                        .singletonOrThrow(); // (B, T, V)
        NDArray present = manager.create(targets.present()).expandDims(1); // (B, 1)
        NDArray scored = taught.mask().logicalAnd(present); // (B, T)
        NDArray loss = DecoderLoss.crossEntropy(logits, taught.targets(), scored, labelSmoothing);
        return new Result(
                loss,
                scored.sum().getLong(),
                new TeacherForcedReply(logits, taught.inputs(), taught.mask(), scored));
    }
}
