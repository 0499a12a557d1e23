package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.text.decoder.DecoderBatch;

/**
 * The log-probability a {@link ReplyHead} gives each whole reply of a teacher-forced batch: the sum
 * over the reply's real target positions (its tokens and the end token) of {@code log p(target)}.
 * The one place preference tuning turns the head's output into log-probabilities.
 */
public final class ReplyLikelihood {

    private ReplyLikelihood() {}

    /**
     * {@code log p(y | ticket)} per row.
     *
     * @param memory {@code NDList(memory [B, S, D], memoryMask [B, S])}, and the ids a copying
     *     decoder copies, from {@link ReplyHead#memory}
     * @param taught the replies, teacher-forced ({@code dev.braid.text.decoder.TeacherForcing})
     * @param training the decoder's training flag (dropout); gradients are recorded or not by the
     *     caller
     * @return float {@code [B]}
     */
    public static NDArray sequences(
            ReplyHead head,
            ParameterStore store,
            NDList memory,
            DecoderBatch taught,
            boolean training) {
        NDArray out =
                head.forward(
                                store,
                                ReplyHead.decoderInput(taught.inputs(), taught.mask(), memory),
                                training)
                        .singletonOrThrow(); // (B, T, V), logits or log-probabilities
        // log-softmax normalises logits and leaves log-probabilities as they are
        NDArray logProbabilities = out.logSoftmax(2); // (B, T, V)
        NDArray picked =
                logProbabilities
                        .gather(taught.targets().toType(DataType.INT64, false).expandDims(2), 2)
                        .squeeze(2); // (B, T)
        // where, not a product with the mask: a padded position's -inf must not become NaN
        NDArray kept = NDArrays.where(taught.mask(), picked, picked.zerosLike()); // (B, T)
        return kept.sum(new int[] {1}); // (B)
    }
}
