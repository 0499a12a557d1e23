package dev.braid.fusion.data;

import dev.braid.audio.features.Features;
import dev.braid.fusion.Modality;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The preprocessed inputs of one sample. An absent modality is an empty value, not null: {@code
 * tokenIds} of length 0, {@code pixels} of length 0, {@code logMel} of width 0 ({@link #NO_AUDIO});
 * {@link #present()} says which are there. Arrays are shared, not copied, and {@code equals}
 * compares them by reference, as for any record holding arrays.
 *
 * @param tokenIds {@code [CLS] tokens [SEP]}, at most {@code textMaxLength} ids; empty if no text
 *     or the text was read by a pretrained model
 * @param textVectors the text as a frozen pretrained model's vectors {@code [T][H]} ({@link
 *     TextFeatures}); empty if no text or the text was tokenized
 * @param pixels the image as {@code [C, H, W]} floats; empty if no image
 * @param logMel log-mel {@code [M][F]} with F ≤ {@code audioMaxFrames}, all F frames real; {@link
 *     #NO_AUDIO} if no audio
 * @param others the features of each plug-in modality the sample has ({@link
 *     dev.braid.fusion.ModalityPlugin}), by modality
 */
public record SampleFeatures(
        int[] tokenIds,
        float[][] textVectors,
        float[] pixels,
        Features logMel,
        Map<Modality, Object> others) {

    /** A text-less sample's token ids. */
    public static final int[] NO_TEXT = new int[0];

    /** A sample's vectors when it has no text or its text was tokenized. */
    public static final float[][] NO_VECTORS = new float[0][];

    /** An image-less sample's pixels. */
    public static final float[] NO_IMAGE = new float[0];

    /** An audio-less sample's log-mel: one row, no columns. */
    public static final Features NO_AUDIO = new Features(new float[1][0], 0);

    /** Checks nothing is null and present audio has as many real frames as columns. */
    public SampleFeatures {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(textVectors, "textVectors");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(logMel, "logMel");
        others = Collections.unmodifiableMap(new TreeMap<>(others));
        if (logMel.frames() != logMel.width()) {
            throw new IllegalArgumentException(
                    "logMel frames ("
                            + logMel.frames()
                            + ") must equal its width ("
                            + logMel.width()
                            + "); padding is the batch's job");
        }
    }

    /** Tokenized text (or none). */
    public SampleFeatures(
            int[] tokenIds, float[] pixels, Features logMel, Map<Modality, Object> others) {
        this(tokenIds, NO_VECTORS, pixels, logMel, others);
    }

    /** The built-in modalities only, text tokenized (or none). */
    public SampleFeatures(int[] tokenIds, float[] pixels, Features logMel) {
        this(tokenIds, pixels, logMel, Map.of());
    }

    /** Whether the sample has {@code modality}. */
    public boolean has(Modality modality) {
        if (modality.equals(Modality.TEXT)) {
            return tokenIds.length > 0 || textVectors.length > 0;
        }
        if (modality.equals(Modality.IMAGE)) {
            return pixels.length > 0;
        }
        if (modality.equals(Modality.AUDIO)) {
            return logMel.width() > 0;
        }
        return others.containsKey(modality);
    }

    /** The modalities the sample has, in order. */
    public Set<Modality> present() {
        Set<Modality> out = new TreeSet<>(others.keySet());
        for (Modality m : List.of(Modality.TEXT, Modality.IMAGE, Modality.AUDIO)) {
            if (has(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
