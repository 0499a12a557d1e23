package dev.braid.fusion.model;

import dev.braid.fusion.Modality;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderConfig;
import java.util.List;

/**
 * The shape of one generation head of a {@link FusionModel}: its {@link ReplyHead}'s decoder and
 * the modalities whose encoder tokens make its memory.
 *
 * @param decoder the decoder; its cross-attention must be on
 * @param memory the modalities the memory is made of, at least one, in enum order
 * @param source what the memory is: those modalities' encoder tokens, or the fusion's output (null,
 *     as in models saved before it could be chosen, reads as {@link ReplyMemory#ENCODER_TOKENS})
 */
public record ReplyHeadConfig(DecoderConfig decoder, List<Modality> memory, ReplyMemory source) {

    /** A head over the modalities' encoder tokens. */
    public ReplyHeadConfig(DecoderConfig decoder, List<Modality> memory) {
        this(decoder, memory, ReplyMemory.ENCODER_TOKENS);
    }

    /** Checks the decoder reads a memory and the memory has a modality; sorts the modalities. */
    public ReplyHeadConfig {
        if (decoder == null) {
            throw new IllegalArgumentException("decoder must be set");
        }
        if (decoder.crossAttention() == CrossAttention.NONE) {
            throw new IllegalArgumentException(
                    "a reply head reads the fused inputs: its decoder's crossAttention must not be"
                            + " NONE");
        }
        if (memory == null || memory.isEmpty()) {
            throw new IllegalArgumentException("memory must name at least one modality");
        }
        memory = memory.stream().distinct().sorted().toList();
        if (source == null) {
            source = ReplyMemory.ENCODER_TOKENS;
        }
    }
}
