package dev.braid.fusion.data;

import dev.braid.fusion.Modality;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stacks the {@link SampleFeatures} of several samples into one {@link Batch}: pads text and audio
 * to the longest sample, fills absent modalities with padding and false masks, and turns labels
 * into per-head targets by the {@link TaskSchema} (a generation head's texts into token ids, by the
 * run's tokenizer). Plain Java, for loader threads. Thread-safe.
 */
public final class Collator {

    private final TaskSchema schema;
    private final FeatureSettings settings;
    private final int padId;
    private final int textWidth;
    private final Tokenizer texts; // a generation head's; null if the schema has none

    /**
     * A collator.
     *
     * @param schema the heads whose targets every batch carries
     * @param settings gives the image shape and mel bands of absent modalities
     * @param padId the {@code [PAD]} token id
     */
    public Collator(TaskSchema schema, FeatureSettings settings, int padId) {
        this(schema, settings, padId, 0);
    }

    /**
     * A collator whose text comes as a pretrained model's vectors of width {@code textWidth}
     * ({@link SampleFeatures#textVectors()}); 0 for token ids.
     */
    public Collator(TaskSchema schema, FeatureSettings settings, int padId, int textWidth) {
        this(schema, settings, padId, textWidth, null);
    }

    private Collator(
            TaskSchema schema,
            FeatureSettings settings,
            int padId,
            int textWidth,
            Tokenizer texts) {
        this.schema = Objects.requireNonNull(schema, "schema");
        if (texts == null && schema.heads().values().stream().anyMatch(HeadSpec::generates)) {
            throw new IllegalArgumentException(
                    "the schema has a generation head, whose texts need the run's tokenizer: make"
                            + " the collator with Collator.of(schema, extractor)");
        }
        this.texts = texts;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.padId = padId;
        if (textWidth < 0) {
            throw new IllegalArgumentException("textWidth (" + textWidth + ") must be >= 0");
        }
        this.textWidth = textWidth;
    }

    /** A collator for the batches of {@code extractor}'s features. */
    public static Collator of(TaskSchema schema, FeatureExtractor extractor) {
        return new Collator(
                schema,
                extractor.settings(),
                extractor.specialTokens().pad(),
                extractor.textWidth(),
                extractor.tokenizer());
    }

    /**
     * Collates {@code samples} with their {@code features} (same order).
     *
     * @throws IllegalArgumentException if the lists are empty or differ in length, an image has the
     *     wrong size, or a label does not fit its head (another kind, or a class the training rows
     *     never had) — naming the manifest line
     */
    public Batch collate(List<Sample> samples, List<SampleFeatures> features) {
        int b = samples.size();
        if (b == 0 || features.size() != b) {
            throw new IllegalArgumentException(
                    "samples ("
                            + b
                            + ") and features ("
                            + features.size()
                            + ") must be equal and non-zero");
        }
        Set<Modality> present = new TreeSet<>();
        features.forEach(f -> present.addAll(f.present()));

        // text: ids (B, T), or vectors (B, T, H)
        int length = 1;
        for (SampleFeatures f : features) {
            length = Math.max(length, Math.max(f.tokenIds().length, f.textVectors().length));
        }
        boolean[] mask = new boolean[b * length];
        long[] ids = new long[textWidth == 0 ? b * length : 0];
        float[] vectors = new float[b * length * textWidth];
        Arrays.fill(ids, padId);
        for (int i = 0; i < b; i++) {
            int[] row = features.get(i).tokenIds();
            float[][] rowVectors = features.get(i).textVectors();
            if (textWidth == 0 ? rowVectors.length > 0 : row.length > 0) {
                throw new IllegalArgumentException(
                        samples.get(i).entry().location()
                                + ": the text is "
                                + (textWidth == 0 ? "vectors" : "token ids")
                                + " but this collator batches "
                                + (textWidth == 0 ? "token ids" : "vectors"));
            }
            for (int t = 0; t < row.length; t++) {
                ids[i * length + t] = row[t];
                mask[i * length + t] = true;
            }
            for (int t = 0; t < rowVectors.length; t++) {
                if (rowVectors[t].length != textWidth) {
                    throw new IllegalArgumentException(
                            samples.get(i).entry().location()
                                    + ": a text vector has "
                                    + rowVectors[t].length
                                    + " values, expected "
                                    + textWidth);
                }
                System.arraycopy(
                        rowVectors[t], 0, vectors, (i * length + t) * textWidth, textWidth);
                mask[i * length + t] = true;
            }
        }

        // image: (B, C, H, W)
        int c = settings.image().channels();
        int h = settings.image().height();
        int w = settings.image().width();
        int per = c * h * w;
        boolean[] imagePresent = new boolean[b];
        float[] pixels = present.contains(Modality.IMAGE) ? new float[b * per] : new float[0];
        for (int i = 0; i < b; i++) {
            float[] image = features.get(i).pixels();
            if (image.length == 0) {
                continue;
            }
            if (image.length != per) {
                throw new IllegalArgumentException(
                        samples.get(i).entry().location()
                                + ": image has "
                                + image.length
                                + " values, expected C*H*W = "
                                + per);
            }
            System.arraycopy(image, 0, pixels, i * per, per);
            imagePresent[i] = true;
        }

        // audio: (B, M, F)
        int mels = settings.logMel().nMels();
        int frames = 1;
        for (SampleFeatures f : features) {
            frames = Math.max(frames, Math.min(f.logMel().frames(), settings.audioMaxFrames()));
        }
        float[] logMel = new float[b * mels * frames];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            SampleFeatures f = features.get(i);
            if (!f.has(Modality.AUDIO)) {
                continue;
            }
            if (f.logMel().rows() != mels) {
                throw new IllegalArgumentException(
                        samples.get(i).entry().location()
                                + ": log-mel has "
                                + f.logMel().rows()
                                + " rows, expected nMels = "
                                + mels);
            }
            lengths[i] = Math.min(f.logMel().frames(), frames);
            for (int m = 0; m < mels; m++) {
                System.arraycopy(
                        f.logMel().values()[m], 0, logMel, (i * mels + m) * frames, lengths[i]);
            }
        }

        // plug-in modalities: per sample its features or null, batched by the plug-in later
        Map<Modality, List<Object>> others = new TreeMap<>();
        for (Modality m : present) {
            if (!m.builtIn()) {
                List<Object> column = new ArrayList<>(b);
                for (SampleFeatures f : features) {
                    column.add(f.others().get(m));
                }
                others.put(m, column);
            }
        }

        Map<String, HeadTargets> targets = new TreeMap<>();
        for (Map.Entry<String, HeadSpec> head : schema.heads().entrySet()) {
            targets.put(head.getKey(), targets(head.getKey(), head.getValue(), samples));
        }
        return new Batch(
                samples,
                present,
                length,
                ids,
                textWidth,
                vectors,
                mask,
                new int[] {c, h, w},
                pixels,
                imagePresent,
                mels,
                frames,
                logMel,
                lengths,
                targets,
                others);
    }

    private HeadTargets targets(String name, HeadSpec head, List<Sample> samples) {
        if (head.generates()) {
            return texts(name, samples);
        }
        if (!head.kind().builtIn()) {
            return pluginTargets(name, head, samples);
        }
        int b = samples.size();
        boolean[] present = new boolean[b];
        int k = head.outputs();
        long[] classIndex = new long[b];
        float[] values = new float[head.kind().equals(HeadKind.MULTI_LABEL) ? b * k : b];
        for (int i = 0; i < b; i++) {
            ManifestEntry entry = samples.get(i).entry();
            Label label = entry.labels().get(name);
            if (label == null) {
                continue;
            }
            if (!label.kind().equals(head.kind())) {
                throw new IllegalArgumentException(
                        entry.location()
                                + ": head '"
                                + name
                                + "' is "
                                + head.kind()
                                + " in the task schema but this row gives a "
                                + label.kind()
                                + " label");
            }
            present[i] = true;
            if (label instanceof Label.ClassLabel l) {
                classIndex[i] = index(name, head, l.name(), entry);
            } else if (label instanceof Label.MultiLabel l) {
                for (String n : l.names()) {
                    values[i * k + index(name, head, n, entry)] = 1f;
                }
            } else if (label instanceof Label.NumericLabel l) {
                values[i] = (float) l.value();
            }
        }
        if (head.kind().equals(HeadKind.CLASSIFICATION)) {
            return new HeadTargets.Classes(classIndex, present);
        }
        return head.kind().equals(HeadKind.MULTI_LABEL)
                ? new HeadTargets.MultiHot(k, values, present)
                : new HeadTargets.Values(values, present);
    }

    /** A generation head's texts and their token ids; a label not a text names its line. */
    private HeadTargets texts(String name, List<Sample> samples) {
        int b = samples.size();
        int[][] tokens = new int[b][0];
        String[] references = new String[b];
        boolean[] present = new boolean[b];
        for (int i = 0; i < b; i++) {
            ManifestEntry entry = samples.get(i).entry();
            Label label = entry.labels().get(name);
            if (label == null) {
                continue;
            }
            if (!(label instanceof Label.ClassLabel text)) {
                throw new IllegalArgumentException(
                        entry.location()
                                + ": head '"
                                + name
                                + "' (GENERATION) needs its text as a JSON string but this row"
                                + " gives a "
                                + label.kind()
                                + " label");
            }
            references[i] = text.name();
            tokens[i] = this.texts.encode(text.name());
            present[i] = true;
        }
        return new HeadTargets.Texts(tokens, references, present, this.texts.specialTokens());
    }

    /** A plug-in kind's targets; a label that does not fit is named by its manifest line. */
    private static HeadTargets pluginTargets(String name, HeadSpec head, List<Sample> samples) {
        HeadKindPlugin plugin = HeadKindPlugins.of(head.kind());
        List<Label> labels = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            Label label = sample.entry().labels().get(name);
            if (label != null) {
                try {
                    plugin.check(label);
                } catch (IllegalArgumentException bad) {
                    throw misfit(sample.entry(), name, head, bad);
                }
            }
            labels.add(label);
        }
        try {
            return plugin.targets(head, labels);
        } catch (IllegalArgumentException bad) {
            // find the row: only on this error path, one label at a time
            for (int i = 0; i < labels.size(); i++) {
                if (labels.get(i) != null) {
                    try {
                        plugin.targets(head, List.of(labels.get(i)));
                    } catch (IllegalArgumentException rowBad) {
                        throw misfit(samples.get(i).entry(), name, head, rowBad);
                    }
                }
            }
            throw bad;
        }
    }

    private static IllegalArgumentException misfit(
            ManifestEntry entry, String name, HeadSpec head, IllegalArgumentException cause) {
        return new IllegalArgumentException(
                entry.location()
                        + ": head '"
                        + name
                        + "' ("
                        + head.kind()
                        + "): "
                        + cause.getMessage(),
                cause);
    }

    private static int index(String name, HeadSpec head, String label, ManifestEntry entry) {
        int index = head.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException(
                    entry.location()
                            + ": class '"
                            + label
                            + "' of head '"
                            + name
                            + "' is not among the training classes "
                            + head.classes());
        }
        return index;
    }
}
