package dev.braid.fusion.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset's rows as read, with every problem found in them: what {@code braid inspect} reports in
 * full, and what {@link #dataset()} refuses to train on.
 *
 * @param name the dataset's name (its folder, or its CSV file without the extension)
 * @param dir the real path of the folder the rows' paths are relative to
 * @param source the file the rows came from (the manifest, the CSV file, the class folders' root)
 * @param entries the valid rows, in source order
 * @param problems every problem, in source order; the rows they are in are not in {@code entries}
 */
public record ManifestCheck(
        String name,
        Path dir,
        Path source,
        List<ManifestEntry> entries,
        List<ManifestException.Problem> problems) {

    /** Copies the lists. */
    public ManifestCheck {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    /**
     * The dataset, if nothing is wrong with it.
     *
     * @throws ManifestException listing the first {@link Manifest#MAX_ERRORS} problems (and how
     *     many more there are), or saying the source has no rows
     */
    public Dataset dataset() {
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
        if (entries.isEmpty()) {
            throw new ManifestException(
                    source + " has no rows; write one JSON object per line", null);
        }
        return new Dataset(name, dir, entries);
    }
}
