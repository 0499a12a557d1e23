package dev.braid.fusion.data.layout;

import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestCheck;
import dev.braid.fusion.data.ManifestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a dataset in any of the layouts Braid knows, told apart by what {@code path} is:
 *
 * <ul>
 *   <li>a folder with a {@code manifest.jsonl}: the manifest ({@link Manifest});
 *   <li>a {@code .csv} or {@code .tsv} file: a table, paths relative to its folder ({@link
 *       CsvTable});
 *   <li>a folder of folders: a folder per class, optionally inside {@code train/ val/ test/}
 *       ({@link ClassFolders}).
 * </ul>
 *
 * Rows of a table or of class folders that have no split get one from the {@link StratifiedSplit}.
 */
public final class DatasetLayout {

    private DatasetLayout() {}

    /** Reads {@code path} with the default split ({@link StratifiedSplit#defaults()}). */
    public static Dataset read(Path path) {
        return check(path, StratifiedSplit.defaults()).dataset();
    }

    /**
     * Reads {@code path} and finds every problem in it.
     *
     * @throws ManifestException if {@code path} is none of the layouts, or cannot be read
     */
    public static ManifestCheck check(Path path, StratifiedSplit split) {
        if (isManifestFolder(path)) {
            return Manifest.check(path);
        }
        Imported imported = imported(path);
        split.assign(imported.rows().rows());
        ManifestCheck check =
                Manifest.check(
                        imported.name(), imported.dir(), imported.source(), imported.rows().rows());
        List<ManifestException.Problem> problems = new ArrayList<>(imported.rows().problems());
        problems.addAll(check.problems());
        problems.sort(
                Comparator.comparing(ManifestException.Problem::manifest)
                        .thenComparingInt(ManifestException.Problem::line));
        return new ManifestCheck(
                check.name(), check.dir(), imported.source(), check.entries(), problems);
    }

    /**
     * The {@code manifest.jsonl} a table or class folders make: one JSON object a line, splits
     * assigned, paths relative to {@link #manifestFolder}.
     *
     * @throws ManifestException if {@code path} already is a manifest folder, or is no layout
     */
    public static List<String> asManifest(Path path, StratifiedSplit split) {
        if (isManifestFolder(path)) {
            throw new ManifestException(path + " already has a " + Manifest.FILE_NAME, null);
        }
        List<Manifest.SourceRow> rows = imported(path).rows().rows();
        split.assign(rows);
        return rows.stream().map(r -> r.json().toString()).toList();
    }

    /** The folder a table's or class folders' manifest belongs in: the one its paths start from. */
    public static Path manifestFolder(Path path) {
        Path absolute = path.toAbsolutePath();
        return Files.isDirectory(absolute) ? absolute : absolute.getParent();
    }

    private static boolean isManifestFolder(Path path) {
        return Files.isDirectory(path) && Files.exists(path.resolve(Manifest.FILE_NAME));
    }

    /** A table's or class folders' rows, with what to call them and where their paths start. */
    private record Imported(String name, Path dir, Path source, LayoutRows rows) {}

    private static Imported imported(Path path) {
        try {
            if (Files.isRegularFile(path) && isTable(path)) {
                String file = path.getFileName().toString();
                return new Imported(
                        file.substring(0, file.lastIndexOf('.')),
                        manifestFolder(path),
                        path,
                        CsvTable.read(path));
            }
            if (Files.isDirectory(path) && ClassFolders.looksLike(path)) {
                Path dir = path.toRealPath();
                return new Imported(dir.getFileName().toString(), dir, dir, ClassFolders.read(dir));
            }
        } catch (IOException e) {
            throw new ManifestException(path + " cannot be read: " + e, e);
        }
        throw new ManifestException(
                path
                        + " is not a dataset: give a folder with a "
                        + Manifest.FILE_NAME
                        + ", a .csv or .tsv table, or a folder with a folder per class",
                null);
    }

    /** Whether {@code file} is read as a table. */
    public static boolean isTable(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".tsv");
    }
}
