package dev.braid.fusion.data.layout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A table of samples, one a row, with a header naming the columns: {@code id}, {@code text}, {@code
 * image} and {@code audio} (paths relative to the table's folder), {@code label} (or {@code
 * label.HEAD} columns, one per head), {@code split}. Only {@code label} or {@code label.HEAD} and
 * one modality column are needed; an empty cell is an absent value; a row without an id is named
 * after its line ({@code line-12}). A {@code .tsv} file is tab-separated, any other comma-separated
 * (RFC 4180 quoting).
 *
 * <p>Labels are class names: a numeric or multi-label head needs a {@code manifest.jsonl}. Any
 * other column is a problem, so that a typo ({@code imgae}) cannot silently drop a modality.
 */
final class CsvTable {

    private static final Set<String> COLUMNS = Set.of("id", "text", "image", "audio", "split");

    private CsvTable() {}

    /** The rows of {@code file}; problems name the file and the line. */
    static LayoutRows read(Path file) throws IOException {
        boolean tabs = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv");
        CSVFormat format =
                (tabs ? CSVFormat.TDF : CSVFormat.RFC4180)
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreEmptyLines(true)
                        .setTrim(true)
                        .get();
        List<Manifest.SourceRow> rows = new ArrayList<>();
        List<ManifestException.Problem> problems = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(in, format)) {
            List<String> columns = parser.getHeaderNames();
            checkColumns(file, columns, problems);
            for (CSVRecord record : parser) {
                int line = (int) parser.getCurrentLineNumber(); // the line the record ends on
                rows.add(new Manifest.SourceRow(file, line, row(record, columns, line)));
            }
        } catch (IllegalArgumentException
                | IllegalStateException
                | java.io.UncheckedIOException e) {
            // commons-csv reports a bad header or quoting this way
            problems.add(
                    new ManifestException.Problem(file.toString(), 1, "(csv)", e.getMessage()));
        }
        return new LayoutRows(rows, problems);
    }

    private static void checkColumns(
            Path file, List<String> columns, List<ManifestException.Problem> problems) {
        boolean plainLabel = false;
        boolean headLabels = false;
        for (String column : columns) {
            String name = column.toLowerCase(Locale.ROOT);
            if (name.equals("label")) {
                plainLabel = true;
            } else if (name.startsWith("label.") && name.length() > "label.".length()) {
                headLabels = true;
            } else if (!COLUMNS.contains(name)) {
                problems.add(
                        new ManifestException.Problem(
                                file.toString(),
                                1,
                                column,
                                "unknown column; allowed: id, text, image, audio, label or"
                                        + " label.HEAD (one per head), split"));
            }
        }
        if (plainLabel && headLabels) {
            problems.add(
                    new ManifestException.Problem(
                            file.toString(),
                            1,
                            "label",
                            "give either one 'label' column or 'label.HEAD' columns, not both"));
        }
    }

    /** The manifest row of one record: its non-empty cells under the manifest's field names. */
    private static ObjectNode row(CSVRecord record, List<String> columns, int line) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        Map<String, String> cells = record.toMap();
        for (String column : columns) {
            String value = cells.get(column);
            if (value == null || value.isEmpty()) {
                continue;
            }
            String name = column.toLowerCase(Locale.ROOT);
            if (name.startsWith("label.")) {
                labels.put(column.substring("label.".length()), value);
            } else if (name.equals("label") || COLUMNS.contains(name)) {
                row.put(name, value);
            } // an unknown column is reported once, on the header line
        }
        if (!labels.isEmpty()) {
            row.set("label", labels);
        }
        if (!row.has("id")) {
            row.put("id", "line-" + line);
        }
        return row;
    }
}
