package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;

/**
 * A generation head's teacher-forced pass over one batch's reference replies, as its {@link
 * TeacherForcedLoss} made it: what a {@link TrainingLoss} needs to compare the head's per-token
 * distributions with another model's over the same replies.
 *
 * @param outputs the head's output {@code [B, T, V]}: logits, or log-probabilities for a decoder
 *     that copies from its memory (they read as logits)
 * @param inputs the decoder's input ids {@code [B, T]}: {@code [CLS] y}
 * @param mask the real positions of {@code inputs} {@code [B, T]}
 * @param scored the positions the loss scores {@code [B, T]}: real, in rows that label the head
 */
public record TeacherForcedReply(NDArray outputs, NDArray inputs, NDArray mask, NDArray scored) {}
