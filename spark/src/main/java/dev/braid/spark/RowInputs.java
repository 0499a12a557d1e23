package dev.braid.spark;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.UnreadableInputException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one row's raw inputs: for each modality, the column named for it, if the DataFrame has one.
 * Text is a string (or UTF-8 bytes); an image or a WAV file is its bytes, or a string path,
 * relative to the dataset folder unless absolute. A null value is an absent modality.
 */
final class RowInputs implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String dataDir;
    private final Map<String, Integer> columns = new TreeMap<>(); // modality name -> index
    private final Map<String, Boolean> paths = new TreeMap<>(); // modality name -> string column

    /**
     * @param byModality the column of each modality (those missing from {@code schema} are ignored)
     * @param dataDir the folder relative paths start from; empty for the working directory
     * @throws IllegalArgumentException naming the column if its type is neither string nor binary
     */
    RowInputs(StructType schema, Map<Modality, String> byModality, String dataDir) {
        this.dataDir = dataDir;
        byModality.forEach(
                (modality, column) -> {
                    if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
                        return;
                    }
                    DataType type = schema.apply(column).dataType();
                    if (!(type instanceof StringType) && !(type instanceof BinaryType)) {
                        throw new IllegalArgumentException(
                                "column '"
                                        + column
                                        + "' ("
                                        + modality.field()
                                        + ") is "
                                        + type.simpleString()
                                        + ": give a string (a path, or the text) or binary");
                    }
                    columns.put(modality.name(), schema.fieldIndex(column));
                    paths.put(
                            modality.name(),
                            type instanceof StringType && !modality.equals(Modality.TEXT));
                });
    }

    /** Whether no column of the DataFrame gives a modality. */
    boolean none() {
        return columns.isEmpty();
    }

    /**
     * The row's inputs by modality.
     *
     * @throws UnreadableInputException naming the modality if a file cannot be read
     */
    Map<Modality, byte[]> read(Row row) {
        Map<Modality, byte[]> inputs = new TreeMap<>();
        columns.forEach(
                (name, index) -> {
                    if (row.isNullAt(index)) {
                        return;
                    }
                    Modality modality = Modality.valueOf(name);
                    Object value = row.get(index);
                    if (value instanceof byte[] bytes) {
                        inputs.put(modality, bytes);
                    } else if (paths.get(name)) {
                        inputs.put(modality, file(modality, (String) value));
                    } else {
                        inputs.put(modality, ((String) value).getBytes(StandardCharsets.UTF_8));
                    }
                });
        return inputs;
    }

    private byte[] file(Modality modality, String path) {
        Path file = dataDir.isEmpty() ? Path.of(path) : Path.of(dataDir).resolve(path);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnreadableInputException(modality, "no such file " + file, e);
        } catch (IOException e) {
            throw new UnreadableInputException(modality, "cannot read " + file + ": " + e, e);
        }
    }
}
