package dev.braid.fusion.data;

import dev.braid.audio.features.Features;
import dev.braid.fusion.Modality;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The preprocessed inputs of one sample. An absent modality is an empty value, not null: {@code
 * tokenIds} of length 0, {@code pixels} of length 0, {@code logMel} of width 0 ({@link #NO_AUDIO});
 * {@link #present()} says which are there. Arrays are shared, not copied, and {@code equals}
 * compares them by reference, as for any record holding arrays.
 *
 * @param tokenIds {@code [CLS] tokens [SEP]}, at most {@code textMaxLength} ids; empty if no text
 * @param pixels the image as {@code [C, H, W]} floats; empty if no image
 * @param logMel log-mel {@code [M][F]} with F ≤ {@code audioMaxFrames}, all F frames real; {@link
 *     #NO_AUDIO} if no audio
 */
public record SampleFeatures(int[] tokenIds, float[] pixels, Features logMel) {

    /** A text-less sample's token ids. */
    public static final int[] NO_TEXT = new int[0];

    /** An image-less sample's pixels. */
    public static final float[] NO_IMAGE = new float[0];

    /** An audio-less sample's log-mel: one row, no columns. */
    public static final Features NO_AUDIO = new Features(new float[1][0], 0);

    /** Checks nothing is null and present audio has as many real frames as columns. */
    public SampleFeatures {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(logMel, "logMel");
        if (logMel.frames() != logMel.width()) {
            throw new IllegalArgumentException(
                    "logMel frames ("
                            + logMel.frames()
                            + ") must equal its width ("
                            + logMel.width()
                            + "); padding is the batch's job");
        }
    }

    /** Whether the sample has {@code modality}. */
    public boolean has(Modality modality) {
        return switch (modality) {
            case TEXT -> tokenIds.length > 0;
            case IMAGE -> pixels.length > 0;
            case AUDIO -> logMel.width() > 0;
        };
    }

    /** The modalities the sample has. */
    public Set<Modality> present() {
        EnumSet<Modality> out = EnumSet.noneOf(Modality.class);
        for (Modality m : Modality.values()) {
            if (has(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
