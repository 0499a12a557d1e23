package dev.braid.fusion.data;

import dev.braid.fusion.Modality;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One validated row of a manifest.
 *
 * @param manifest the manifest file the row came from (for messages)
 * @param line the 1-based line number in the manifest
 * @param id the row's unique id
 * @param inputs per modality present: TEXT the text itself, IMAGE and AUDIO the absolute real path
 *     of the file, a plug-in modality its field's JSON of the file; absent modalities have no key
 * @param labels plain labels by head name ({@link Label#DEFAULT_HEAD} for a plain {@code "label"});
 *     empty for an unlabeled row; never holds {@link Label.NamedLabels}
 * @param split the split the row belongs to
 */
public record ManifestEntry(
        Path manifest,
        int line,
        String id,
        Map<Modality, String> inputs,
        Map<String, Label> labels,
        Split split) {

    /** Copies the maps (inputs in modality order) and checks the invariants. */
    public ManifestEntry {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        if (line < 1) {
            throw new IllegalArgumentException("line (" + line + ") must be positive");
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("row '" + id + "' must have at least one modality");
        }
        inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        for (Map.Entry<String, Label> e : labels.entrySet()) {
            if (e.getValue() instanceof Label.NamedLabels) {
                throw new IllegalArgumentException(
                        "labels of head '" + e.getKey() + "' must be a plain label");
            }
        }
    }

    /** Whether the row has {@code modality}. */
    public boolean has(Modality modality) {
        return inputs.containsKey(modality);
    }

    /** Where the row is, for messages: {@code /data/set/manifest.jsonl:12}. */
    public String location() {
        return manifest + ":" + line;
    }
}
