package dev.braid.fusion.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.Modality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and validates a dataset folder's {@code manifest.jsonl}: one JSON object a line,
 *
 * <pre>{@code
 * {"id": "a1", "text": "...", "image": "images/a1.png", "audio": "audio/a1.wav", "label": "cat", "split": "train"}
 * }</pre>
 *
 * <p>{@code id} and {@code split} are required; {@code text}, {@code image}, {@code audio} are
 * optional but at least one must be present; {@code label} is optional (a string, a list of
 * strings, a number, or an object of those by head name). A JSON {@code null} counts as absent.
 * Paths are relative to the folder and must stay inside it, also after following symlinks. Blank
 * lines are skipped; any other field is an error, so that a typo ({@code "imgae"}) cannot silently
 * drop a modality.
 */
public final class Manifest {

    /** The manifest's file name inside a dataset folder. */
    public static final String FILE_NAME = "manifest.jsonl";

    /** At most this many problems are listed in one {@link ManifestException}. */
    public static final int MAX_ERRORS = 20;

    private static final Set<String> FIELDS =
            Set.of("id", "text", "image", "audio", "label", "split", "meta");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {}

    /** The plug-in modality whose manifest field is {@code field}, or null. */
    private static Modality plugin(String field) {
        for (Modality m : Modality.values()) {
            if (!m.builtIn() && m.field().equals(field)) {
                return m;
            }
        }
        return null;
    }

    private static List<String> pluginFields() {
        return Modality.values().stream().filter(m -> !m.builtIn()).map(Modality::field).toList();
    }

    /**
     * Reads {@code datasetDir/manifest.jsonl}.
     *
     * @param datasetDir the dataset folder
     * @return the dataset, named after the folder, with its rows in manifest order
     * @throws ManifestException listing up to {@link #MAX_ERRORS} problems, each as {@code
     *     manifest.jsonl:LINE: field 'FIELD': reason}; or if the folder or manifest cannot be read
     *     or the manifest has no rows
     */
    public static Dataset read(Path datasetDir) {
        return check(datasetDir).dataset();
    }

    /**
     * Reads {@code datasetDir/manifest.jsonl} and finds every problem in it, not only the first
     * {@link #MAX_ERRORS}.
     *
     * @throws ManifestException if the folder or the manifest cannot be read at all
     */
    public static ManifestCheck check(Path datasetDir) {
        Path dir = realFolder(datasetDir);
        Path file = dir.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException("manifest " + file + " cannot be read: " + e, e);
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1)); // a UTF-8 byte order mark
        }
        RowParser parser = new RowParser(dir, file);
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                parser.parse(i + 1, lines.get(i)).ifPresent(entries::add);
            }
        }
        return new ManifestCheck(dir.getFileName().toString(), dir, file, entries, parser.problems);
    }

    /**
     * Checks rows that another layout (a CSV table, a folder per class) made, exactly as if they
     * were lines of a manifest.
     *
     * @param name the dataset's name
     * @param datasetDir the folder the rows' paths are relative to
     * @param source the file the rows came from as a whole (the CSV file, the folder)
     * @param rows the rows, each with the file and line problems name
     * @throws ManifestException if the folder cannot be read
     */
    public static ManifestCheck check(
            String name, Path datasetDir, Path source, List<SourceRow> rows) {
        Path dir = realFolder(datasetDir);
        RowParser parser = new RowParser(dir, source);
        List<ManifestEntry> entries = new ArrayList<>();
        for (SourceRow row : rows) {
            parser.file = row.file();
            parser.parse(row.line(), row.json()).ifPresent(entries::add);
        }
        return new ManifestCheck(name, dir, source, entries, parser.problems);
    }

    /**
     * One row from another layout, as the JSON object a manifest line would hold.
     *
     * @param file where it came from, for messages and the model's provenance (the CSV file, the
     *     class folder)
     * @param line where in {@code file}, for messages (a CSV line, a running number)
     * @param json the row's fields
     */
    public record SourceRow(Path file, int line, JsonNode json) {}

    private static Path realFolder(Path datasetDir) {
        try {
            return datasetDir.toRealPath();
        } catch (IOException e) {
            throw new ManifestException(
                    "dataset folder " + datasetDir + " cannot be read: " + e, e);
        }
    }

    /** Parses rows one at a time, collecting problems and the ids seen so far. */
    private static final class RowParser {
        private final Path dir;
        private Path file;
        private final List<ManifestException.Problem> problems = new ArrayList<>();
        private final Map<String, Integer> idLines = new HashMap<>();
        private int line;
        private boolean rowFailed;

        RowParser(Path dir, Path file) {
            this.dir = dir;
            this.file = file;
        }

        Optional<ManifestEntry> parse(int lineNumber, String text) {
            JsonNode row;
            try {
                row = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                line = lineNumber;
                fail("(json)", "bad JSON: " + e.getOriginalMessage());
                return Optional.empty();
            }
            return parse(lineNumber, row);
        }

        Optional<ManifestEntry> parse(int lineNumber, JsonNode row) {
            line = lineNumber;
            rowFailed = false;
            if (row == null || !row.isObject()) {
                fail("(json)", "a line must be one JSON object, found " + describe(row));
                return Optional.empty();
            }
            for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name) && plugin(name) == null) {
                    fail(
                            name,
                            "unknown field; allowed: id, text, image, audio, label, split, meta"
                                    + " (an object Braid ignores, for provenance), and the"
                                    + " registered plug-in modalities "
                                    + pluginFields());
                }
            }
            JsonNode meta = row.get("meta");
            if (meta != null && !meta.isObject() && !meta.isNull()) {
                fail("meta", "must be an object, found " + describe(meta));
            }
            String id = id(row.get("id"));
            Split split = split(row.get("split"));
            Map<Modality, String> inputs = new TreeMap<>();
            JsonNode textNode = row.get("text");
            if (present(textNode)) {
                if (textNode.isTextual()) {
                    inputs.put(Modality.TEXT, textNode.asText());
                } else {
                    fail("text", "must be a string, found " + describe(textNode));
                }
            }
            file(row, "image").ifPresent(p -> inputs.put(Modality.IMAGE, p));
            file(row, "audio").ifPresent(p -> inputs.put(Modality.AUDIO, p));
            for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                Modality plugin = plugin(name);
                if (plugin != null && present(row.get(name))) {
                    inputs.put(plugin, row.get(name).toString()); // read by its plug-in
                }
            }
            if (inputs.isEmpty() && !rowFailed) {
                fail(
                        "text/image/audio",
                        "row has no modality; give at least one of them"
                                + (pluginFields().isEmpty() ? "" : " or of " + pluginFields()));
            }
            Map<String, Label> labels = labels(row.get("label"));
            if (rowFailed) {
                return Optional.empty();
            }
            return Optional.of(new ManifestEntry(file, line, id, inputs, labels, split));
        }

        private String id(JsonNode node) {
            if (!present(node)) {
                fail("id", "missing; every row needs a unique id");
                return "";
            }
            if (!node.isTextual()) {
                fail("id", "must be a string, found " + describe(node));
                return "";
            }
            String id = node.asText();
            if (id.isBlank()) {
                fail("id", "must not be blank");
                return id;
            }
            Integer first = idLines.putIfAbsent(id, line);
            if (first != null) {
                fail("id", "duplicate id '" + id + "', first used on line " + first);
            }
            return id;
        }

        private Split split(JsonNode node) {
            if (!present(node)) {
                fail("split", "missing; allowed: " + Split.allowedValues());
                return Split.TRAIN;
            }
            Optional<Split> split =
                    node.isTextual() ? Split.fromManifest(node.asText()) : Optional.empty();
            if (split.isEmpty()) {
                fail("split", "unknown split " + node + "; allowed: " + Split.allowedValues());
                return Split.TRAIN;
            }
            return split.get();
        }

        /** The real absolute path of the file in {@code field}, if present and valid. */
        private Optional<String> file(JsonNode row, String field) {
            JsonNode node = row.get(field);
            if (!present(node)) {
                return Optional.empty();
            }
            if (!node.isTextual()) {
                fail(field, "must be a relative path string, found " + describe(node));
                return Optional.empty();
            }
            String value = node.asText();
            Path relative;
            try {
                relative = Path.of(value);
            } catch (InvalidPathException e) {
                fail(field, "'" + value + "' is not a valid path: " + e.getReason());
                return Optional.empty();
            }
            if (value.isBlank()) {
                fail(field, "path must not be blank");
                return Optional.empty();
            }
            if (relative.isAbsolute()) {
                fail(field, "'" + value + "' is absolute; paths must be relative to " + dir);
                return Optional.empty();
            }
            Path resolved = dir.resolve(relative).normalize();
            if (!resolved.startsWith(dir)) {
                fail(field, "'" + value + "' escapes the dataset folder " + dir);
                return Optional.empty();
            }
            if (!Files.exists(resolved)) {
                fail(field, "file '" + value + "' not found (looked for " + resolved + ")");
                return Optional.empty();
            }
            Path real;
            try {
                real = resolved.toRealPath();
            } catch (IOException e) {
                fail(field, "file '" + value + "' cannot be resolved: " + e);
                return Optional.empty();
            }
            if (!real.startsWith(dir)) {
                fail(
                        field,
                        "'" + value + "' escapes the dataset folder " + dir + " (to " + real + ")");
                return Optional.empty();
            }
            if (!Files.isRegularFile(real)) {
                fail(field, "'" + value + "' is not a regular file");
                return Optional.empty();
            }
            return Optional.of(real.toString());
        }

        private Map<String, Label> labels(JsonNode node) {
            Map<String, Label> labels = new TreeMap<>();
            if (!present(node)) {
                return labels;
            }
            if (node.isObject()) {
                Map<String, Label> named = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String field = "label." + e.getKey();
                    if (e.getKey().isBlank()) {
                        fail(field, "head names must not be blank");
                    } else if (present(e.getValue())) {
                        plain(field, e.getValue()).ifPresent(l -> named.put(e.getKey(), l));
                    }
                }
                labels.putAll(named);
            } else {
                plain("label", node).ifPresent(l -> labels.put(Label.DEFAULT_HEAD, l));
            }
            return labels;
        }

        private Optional<Label> plain(String field, JsonNode node) {
            if (node.isTextual()) {
                if (node.asText().isBlank()) {
                    fail(field, "class name must not be blank");
                    return Optional.empty();
                }
                return Optional.of(new Label.ClassLabel(node.asText()));
            }
            if (node.isNumber()) {
                double v = node.asDouble();
                if (!Double.isFinite(v)) {
                    fail(field, "number " + node + " is not finite");
                    return Optional.empty();
                }
                return Optional.of(new Label.NumericLabel(v));
            }
            if (node.isArray()) {
                List<String> names = new ArrayList<>();
                for (JsonNode item : node) {
                    if (!item.isTextual() || item.asText().isBlank()) {
                        fail(
                                field,
                                "a multi-label list must hold non-blank strings, found "
                                        + describe(item));
                        return Optional.empty();
                    }
                    names.add(item.asText());
                }
                return Optional.of(new Label.MultiLabel(names));
            }
            fail(
                    field,
                    "must be a string (class), list of strings (multi-label), number (regression)"
                            + (field.equals("label") ? " or object of those (multi-task)" : "")
                            + ", found "
                            + describe(node));
            return Optional.empty();
        }

        private void fail(String field, String reason) {
            rowFailed = true;
            problems.add(new ManifestException.Problem(file.toString(), line, field, reason));
        }

        private static boolean present(JsonNode node) {
            return node != null && !node.isNull();
        }

        private static String describe(JsonNode node) {
            if (node == null) {
                return "nothing";
            }
            String kind = node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            return kind + " " + node;
        }
    }
}
