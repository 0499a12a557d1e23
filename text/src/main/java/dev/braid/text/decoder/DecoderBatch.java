package dev.braid.text.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One teacher-forced batch for a {@link TransformerDecoder}: the decoder reads {@code inputs} and
 * is scored on {@code targets}, the same sequences one position ahead. Made by {@link
 * TeacherForcing}.
 *
 * @param inputs int64 {@code [B, T]}: the start token, then the sequence but its last token
 * @param mask boolean {@code [B, T]}: true at real positions, of inputs and targets alike
 * @param targets int64 {@code [B, T]}: the sequence, then the end token
 */
public record DecoderBatch(NDArray inputs, NDArray mask, NDArray targets) {

    /** The decoder's input without a memory: {@code NDList(inputs, mask)}. */
    public NDList decoderInput() {
        return new NDList(inputs, mask);
    }

    /**
     * The decoder's input over a memory: {@code NDList(inputs, mask, memory, memoryMask)}.
     *
     * @param memory {@code [B, S, D]}
     * @param memoryMask boolean {@code [B, S]}
     */
    public NDList decoderInput(NDArray memory, NDArray memoryMask) {
        return new NDList(inputs, mask, memory, memoryMask);
    }
}
