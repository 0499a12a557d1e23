package dev.braid.fusion.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.ReplyDecoding;
import java.util.Map;

/**
 * What is left of the reply head's own training loop: a generation head ({@code
 * HeadKind.GENERATION}) is a head of the {@link FusionModel} now, and trains in {@link
 * FusionTrainer} with the other heads ({@link TeacherForcedLoss}).
 */
public final class ReplyTrainer {

    private ReplyTrainer() {}

    /**
     * The batch's inputs of the modalities {@code model} reads.
     *
     * @deprecated use {@link ReplyDecoding#inputs}
     */
    @Deprecated
    public static Map<Modality, NDList> inputs(FusionModel model, Batch batch, NDManager manager) {
        return ReplyDecoding.inputs(model, batch, manager);
    }
}
