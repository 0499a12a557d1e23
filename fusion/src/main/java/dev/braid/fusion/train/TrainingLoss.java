package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import java.util.Map;

/**
 * The loss a training step of {@link FusionTrainer} minimises, made from the heads' own loss: by
 * default that loss itself; distillation mixes in a teacher's soft targets ({@code
 * dev.braid.fusion.compress.TeacherTargets}).
 *
 * <p>Called on the micro-batch threads, several at once: an implementation must only read shared
 * state. Every array it makes belongs in {@code batch}, which is closed when the micro-batch ends.
 */
public interface TrainingLoss {

    /** The heads' loss, unchanged. */
    TrainingLoss HEADS = (inputs, logits, headsLoss, batch) -> headsLoss;

    /**
     * @param inputs the micro-batch's model inputs, by modality (after modality dropout)
     * @param logits the model's output of each head, by name
     * @param headsLoss the heads' summed loss against the labels, a scalar
     * @param batch the micro-batch's manager
     * @return the scalar to minimise
     */
    NDArray total(
            Map<Modality, NDList> inputs,
            Map<String, NDArray> logits,
            NDArray headsLoss,
            NDManager batch);

    /**
     * The loss of a model with generation heads: by default {@link #total(Map, Map, NDArray,
     * NDManager)}, the replies unread.
     *
     * @param replies each generation head's teacher-forced pass over the micro-batch's reference
     *     replies, by name (the heads with targets in it)
     */
    default NDArray total(
            Map<Modality, NDList> inputs,
            Map<String, NDArray> logits,
            Map<String, TeacherForcedReply> replies,
            NDArray headsLoss,
            NDManager batch) {
        return total(inputs, logits, headsLoss, batch);
    }
}
