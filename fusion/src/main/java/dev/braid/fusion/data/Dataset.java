package dev.braid.fusion.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A validated dataset folder: its name, its real path and its rows in manifest order.
 *
 * @param name the folder name, used in messages and mixes
 * @param dir the real path of the folder
 * @param entries the rows, in manifest order; not empty
 */
public record Dataset(String name, Path dir, List<ManifestEntry> entries) {

    /** Copies the entries and checks there is at least one. */
    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has no entries");
        }
    }

    /** The rows of {@code split}, in manifest order (possibly empty). */
    public List<ManifestEntry> entries(Split split) {
        return entries.stream().filter(e -> e.split() == split).toList();
    }
}
