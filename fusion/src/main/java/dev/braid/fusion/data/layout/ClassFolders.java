package dev.braid.fusion.data.layout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestException;
import dev.braid.fusion.data.Split;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder per class: {@code DATA/cat/*.png}, or split first, {@code DATA/train/cat/*.png}. In a
 * class folder, the files that share a name but for the extension are one sample: {@code 001.png}
 * (an image: {@code .png .jpg .jpeg .bmp .webp}), {@code 001.wav} (audio) and {@code 001.txt} (its
 * text, UTF-8) make one row with three modalities. The row's id is its path without the extension
 * ({@code train/cat/001}); files whose name starts with a dot are skipped, as are files directly in
 * {@code DATA} (a README).
 */
final class ClassFolders {

    private static final Map<String, String> FIELD_OF_EXTENSION =
            Map.of(
                    "png", "image",
                    "jpg", "image",
                    "jpeg", "image",
                    "bmp", "image",
                    "webp", "image",
                    "wav", "audio",
                    "txt", "text");

    private ClassFolders() {}

    /** Whether {@code dir} has at least one sub-folder, so it may be this layout. */
    static boolean looksLike(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.anyMatch(p -> Files.isDirectory(p) && !hidden(p));
        }
    }

    /** The rows under {@code root}; problems name the file. */
    static LayoutRows read(Path root) throws IOException {
        List<Path> top = folders(root);
        long splitFolders = top.stream().filter(p -> split(p).isPresent()).count();
        List<Manifest.SourceRow> rows = new ArrayList<>();
        List<ManifestException.Problem> problems = new ArrayList<>();
        if (splitFolders > 0 && splitFolders < top.size()) {
            problems.add(
                    new ManifestException.Problem(
                            root.toString(),
                            1,
                            "(folders)",
                            "mixes split folders (train, val, test) with class folders "
                                    + top.stream()
                                            .filter(p -> split(p).isEmpty())
                                            .map(p -> p.getFileName().toString())
                                            .toList()
                                    + "; put every class folder inside a split folder, or use no"
                                    + " split folders"));
            return new LayoutRows(rows, problems);
        }
        if (splitFolders == 0) {
            for (Path classDir : top) {
                classRows(root, classDir, null, rows, problems);
            }
        } else {
            for (Path splitDir : top) {
                for (Path classDir : folders(splitDir)) {
                    classRows(root, classDir, split(splitDir).get(), rows, problems);
                }
            }
        }
        return new LayoutRows(rows, problems);
    }

    private static void classRows(
            Path root,
            Path classDir,
            Split split,
            List<Manifest.SourceRow> rows,
            List<ManifestException.Problem> problems)
            throws IOException {
        Map<String, ObjectNode> samples = new TreeMap<>();
        for (Path file : files(classDir)) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String field =
                    dot < 0
                            ? null
                            : FIELD_OF_EXTENSION.get(
                                    name.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (field == null) {
                problems.add(
                        new ManifestException.Problem(
                                file.toString(),
                                1,
                                "(file)",
                                "not an image (.png .jpg .jpeg .bmp .webp), audio (.wav) or text"
                                        + " (.txt) file"));
                continue;
            }
            String stem = name.substring(0, dot);
            ObjectNode row =
                    samples.computeIfAbsent(stem, s -> JsonNodeFactory.instance.objectNode());
            if (row.has(field)) {
                problems.add(
                        new ManifestException.Problem(
                                file.toString(),
                                1,
                                field,
                                "a second "
                                        + field
                                        + " for sample '"
                                        + stem
                                        + "' (also "
                                        + row.get(field).asText()
                                        + "); give each sample one file of each kind"));
                continue;
            }
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (field.equals("text")) {
                try {
                    row.put("text", readUtf8(file).strip());
                } catch (CharacterCodingException e) {
                    problems.add(
                            new ManifestException.Problem(
                                    file.toString(), 1, "text", "is not UTF-8 text"));
                }
            } else {
                row.put(field, relative);
            }
        }
        int line = 0;
        for (Map.Entry<String, ObjectNode> sample : samples.entrySet()) {
            ObjectNode row = sample.getValue();
            String id =
                    root.relativize(classDir.resolve(sample.getKey()))
                            .toString()
                            .replace('\\', '/');
            row.put("id", id);
            row.put("label", classDir.getFileName().toString());
            if (split != null) {
                row.put("split", split.manifestValue());
            }
            rows.add(new Manifest.SourceRow(classDir, ++line, row));
        }
    }

    private static String readUtf8(Path file) throws IOException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
    }

    private static Optional<Split> split(Path folder) {
        return Split.fromManifest(folder.getFileName().toString());
    }

    private static List<Path> folders(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isDirectory(p) && !hidden(p)).sorted().toList();
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p) && !hidden(p)).sorted().toList();
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }
}
