package dev.braid.fusion.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugin;
import dev.braid.fusion.ModalityPlugins;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A collated batch of B samples, held as plain Java arrays (built on a loader thread); the {@code
 * text}, {@code image} and {@code audio} methods copy them into NDArrays of the step's manager.
 *
 * <p>Shapes (B batch, T tokens, C channels, H height, W width, M mel bands, F frames):
 *
 * <ul>
 *   <li>{@link #text}: ids int64 {@code [B, T]}, mask boolean {@code [B, T]}; rows are {@code [CLS]
 *       tokens [SEP]} padded with {@code [PAD]} to the longest row; a sample without text is all
 *       {@code [PAD]} with an all-false mask; T = 1 if no sample has text. When the text was read
 *       by a pretrained model ({@link TextFeatures}), vectors float32 {@code [B, T, H]} instead of
 *       ids, zeros at padding.
 *   <li>{@link #image}: pixels float32 {@code [B, C, H, W]}, present boolean {@code [B]}; an absent
 *       image is zeros.
 *   <li>{@link #audio}: log-mel float32 {@code [B, M, F]}, lengths int32 {@code [B]}; padded with
 *       zeros to the longest clip (already cropped to {@code audioMaxFrames}); absent audio has
 *       length 0; F = 1 if no sample has audio.
 * </ul>
 *
 * Build with {@link Collator}. Arrays are shared, not copied: treat them as read-only.
 */
public final class Batch {

    private final List<Sample> samples;
    private final Set<Modality> present;
    private final int textLength;
    private final long[] textIds;
    private final int textWidth;
    private final float[] textVectors;
    private final boolean[] textMask;
    private final int[] imageShape;
    private final float[] pixels;
    private final boolean[] imagePresent;
    private final int mels;
    private final int frames;
    private final float[] logMel;
    private final int[] audioLengths;
    private final Map<String, HeadTargets> targets;
    private final Map<Modality, List<Object>> others;

    Batch(
            List<Sample> samples,
            Set<Modality> present,
            int textLength,
            long[] textIds,
            int textWidth,
            float[] textVectors,
            boolean[] textMask,
            int[] imageShape,
            float[] pixels,
            boolean[] imagePresent,
            int mels,
            int frames,
            float[] logMel,
            int[] audioLengths,
            Map<String, HeadTargets> targets,
            Map<Modality, List<Object>> others) {
        this.others = Map.copyOf(others);
        this.samples = List.copyOf(samples);
        this.present = Set.copyOf(present);
        this.textLength = textLength;
        this.textIds = textIds;
        this.textWidth = textWidth;
        this.textVectors = textVectors;
        this.textMask = textMask;
        this.imageShape = imageShape;
        this.pixels = pixels;
        this.imagePresent = imagePresent;
        this.mels = mels;
        this.frames = frames;
        this.logMel = logMel;
        this.audioLengths = audioLengths;
        this.targets = Collections.unmodifiableSortedMap(new TreeMap<>(targets));
    }

    /** The number of samples B. */
    public int size() {
        return samples.size();
    }

    /** The samples' ids, in batch order. */
    public List<String> ids() {
        return samples.stream().map(s -> s.entry().id()).toList();
    }

    /** Per sample, the index of the dataset it came from (0 unless the source is a mix). */
    public int[] datasetIndex() {
        return samples.stream().mapToInt(Sample::datasetIndex).toArray();
    }

    /** The samples' rows, in batch order. */
    public List<ManifestEntry> entries() {
        return samples.stream().map(Sample::entry).toList();
    }

    /** Whether any sample of the batch has {@code modality}. */
    public boolean has(Modality modality) {
        return present.contains(modality);
    }

    /**
     * The encoder inputs of {@code modality} in {@code manager}: {@link #text}, {@link #image} or
     * {@link #audio} for the built-in ones, its plug-in's {@code batch} for the others.
     */
    @SuppressWarnings("unchecked")
    public NDList input(Modality modality, NDManager manager) {
        if (modality.equals(Modality.TEXT)) {
            return text(manager);
        }
        if (modality.equals(Modality.IMAGE)) {
            return image(manager);
        }
        if (modality.equals(Modality.AUDIO)) {
            return audio(manager);
        }
        List<Object> features = others.get(modality);
        if (features == null) {
            features = Collections.nCopies(size(), null); // no sample of the batch has it
        }
        ModalityPlugin<Object> plugin = (ModalityPlugin<Object>) ModalityPlugins.of(modality);
        return plugin.batch(features, manager);
    }

    /**
     * {@code NDList(ids int64 [B, T], mask boolean [B, T])} in {@code manager}, or {@code
     * NDList(vectors float32 [B, T, H], mask)} when the text was read by a pretrained model.
     */
    public NDList text(NDManager manager) {
        Shape shape = new Shape(size(), textLength); // (B, T)
        NDArray values =
                textWidth == 0
                        ? manager.create(textIds, shape)
                        : manager.create(
                                textVectors, new Shape(size(), textLength, textWidth)); // (B, T, H)
        return new NDList(values, manager.create(textMask, shape));
    }

    /** {@code NDList(pixels float32 [B, C, H, W], present boolean [B])} in {@code manager}. */
    public NDList image(NDManager manager) {
        Shape shape =
                new Shape(size(), imageShape[0], imageShape[1], imageShape[2]); // (B, C, H, W)
        return new NDList(
                pixels.length == 0 ? manager.zeros(shape) : manager.create(pixels, shape),
                manager.create(imagePresent));
    }

    /** {@code NDList(logMel float32 [B, M, F], lengths int32 [B])} in {@code manager}. */
    public NDList audio(NDManager manager) {
        return new NDList(
                manager.create(logMel, new Shape(size(), mels, frames)), // (B, M, F)
                manager.create(audioLengths));
    }

    /**
     * Per head of the {@link TaskSchema} (sorted by name), its targets; {@link
     * HeadTargets#present()} is false for samples whose row lacks that head's label.
     */
    public Map<String, HeadTargets> targets() {
        return targets;
    }
}
