package dev.braid.fusion.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.files.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint directory holding everything needed to resume a run exactly, replaced atomically so
 * that a kill at any moment leaves a complete checkpoint behind.
 *
 * <p>Layout of {@code dir} (e.g. {@code run/checkpoint}):
 *
 * <ul>
 *   <li>{@code model.params}: the model's weights ({@link Block#saveParameters});
 *   <li>{@code optimizer.bin}: the {@link AdamW} state ({@link AdamW#save});
 *   <li>{@code state.json}: the {@link TrainingState};
 *   <li>{@code COMPLETE}: written last, one line {@code name size crc32} per file above.
 * </ul>
 *
 * <p><b>Writing.</b> All files go into a fresh sibling {@code dir.tmp-<n>}, are fsynced, and {@code
 * COMPLETE} is written last. Then {@code dir} is renamed to {@code dir.old} (the one before it is
 * deleted first, marker first) and {@code dir.tmp-<n>} to {@code dir}. Renames within one directory
 * are atomic, so at every instant {@code dir} or {@code dir.old} is a complete checkpoint: a kill
 * while writing the temporary directory leaves {@code dir} untouched; a kill between the two
 * renames leaves {@code dir.old}. Leftover temporary directories are deleted by the next write. The
 * previous checkpoint stays in {@code dir.old} as a fallback, so the disk holds two.
 *
 * <p><b>Reading</b> uses {@code dir} if it has its {@code COMPLETE} marker, else {@code dir.old}.
 * Every file's size and CRC-32 are checked against the marker before anything is loaded; a missing
 * or corrupt file is an {@link IOException} naming it.
 */
public final class Checkpoint {

    /** The weights. */
    public static final String MODEL_FILE = "model.params";

    /** The optimiser state. */
    public static final String OPTIMIZER_FILE = "optimizer.bin";

    /** The training state. */
    public static final String STATE_FILE = "state.json";

    /** Written last: the list of files with their sizes and checksums. */
    public static final String COMPLETE_FILE = "COMPLETE";

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What {@link #read} restores besides the weights, which it loads into the model.
     *
     * @param state where the run stands
     * @param optimizer the optimiser with its moments, over the parameters given to {@link #read};
     *     it replaces the caller's optimiser, which should be closed to free its moments
     * @param directory the directory read: the checkpoint, or its {@code .old} fallback
     */
    public record Restored(TrainingState state, AdamW optimizer, Path directory) {}

    private Checkpoint() {}

    /**
     * Writes a checkpoint to {@code directory}, atomically replacing any there.
     *
     * @param directory the checkpoint directory; its parent is created if needed
     * @param model the model whose weights to save
     * @param optimizer the optimiser whose state to save
     * @param state where the run stands
     * @throws IOException if writing fails; the previous checkpoint is then still readable
     */
    public static void write(Path directory, Block model, AdamW optimizer, TrainingState state)
            throws IOException {
        Path target = directory.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        deleteStaleTemporaries(target);
        Path temporary = sibling(target, ".tmp-" + System.nanoTime());
        Files.createDirectory(temporary);

        List<String> entries = new ArrayList<>();
        entries.add(writeFile(temporary.resolve(MODEL_FILE), model::saveParameters));
        entries.add(writeFile(temporary.resolve(OPTIMIZER_FILE), optimizer::save));
        entries.add(
                writeFile(
                        temporary.resolve(STATE_FILE),
                        // as bytes: Jackson would close the stream it writes to
                        out ->
                                out.write(
                                        JSON.writerWithDefaultPrettyPrinter()
                                                .writeValueAsBytes(state))));
        writeFile(
                temporary.resolve(COMPLETE_FILE),
                out ->
                        out.write(
                                (String.join("\n", entries) + "\n")
                                        .getBytes(StandardCharsets.UTF_8)));

        Path old = sibling(target, ".old");
        if (isComplete(target)) {
            deleteRecursively(old);
            AtomicFile.move(target, old);
        } else {
            // not a checkpoint (never completed): dir.old, if any, is the fallback meanwhile
            deleteRecursively(target);
        }
        AtomicFile.move(temporary, target);
    }

    /** Whether {@link #read} would find a checkpoint at {@code directory} or its fallback. */
    public static boolean exists(Path directory) {
        Path target = directory.toAbsolutePath().normalize();
        return isComplete(target) || isComplete(sibling(target, ".old"));
    }

    /**
     * Reads the checkpoint at {@code directory}, or its {@code .old} fallback if {@code directory}
     * is missing or incomplete, loading the weights into {@code model}.
     *
     * @param directory the checkpoint directory given to {@link #write}
     * @param model an initialised model of the same architecture; its weights are replaced
     * @param manager owns the loaded weights and moments; the model's manager
     * @param parameters the model's parameters in the order the optimiser was built over ({@link
     *     TrainableParameters#all()})
     * @throws NoSuchFileException if neither directory holds a complete checkpoint
     * @throws IOException if a file is missing, corrupt or does not fit the model; the message
     *     names the file. All checksums are checked before anything is loaded, but if the optimiser
     *     state does not fit {@code parameters} the weights are already replaced.
     */
    public static Restored read(
            Path directory, Block model, NDManager manager, List<Parameter> parameters)
            throws IOException {
        Path target = directory.toAbsolutePath().normalize();
        Path chosen = target;
        if (!isComplete(target)) {
            chosen = sibling(target, ".old");
            if (!isComplete(chosen)) {
                throw new NoSuchFileException(
                        target.toString(),
                        null,
                        "no complete checkpoint here nor in " + chosen.getFileName());
            }
            LOG.warn(
                    "{} is missing or incomplete; reading the previous checkpoint {}",
                    target,
                    chosen);
        }
        return readExactly(chosen, model, manager, parameters);
    }

    /**
     * The complete checkpoints {@link #read} could choose from, {@code directory} before its {@code
     * .old} fallback, each with the step it stands at: data-parallel replicas resume from a step
     * every one of them has (one replica may have written a checkpoint the others had not when the
     * run stopped).
     *
     * @throws IOException if a complete checkpoint's state cannot be read; the message names it
     */
    static List<Stored> stored(Path directory) throws IOException {
        Path target = directory.toAbsolutePath().normalize();
        List<Stored> stored = new ArrayList<>();
        for (Path candidate : List.of(target, sibling(target, ".old"))) {
            if (isComplete(candidate)) {
                stored.add(new Stored(candidate, readState(candidate)));
            }
        }
        return stored;
    }

    /** A complete checkpoint directory ({@code dir} or {@code dir.old}) and where it stands. */
    record Stored(Path directory, TrainingState state) {}

    /**
     * Reads the checkpoint in {@code chosen} itself ({@code dir} or {@code dir.old}, from {@link
     * #stored}), never its fallback; as {@link #read} otherwise.
     */
    static Restored readExactly(
            Path chosen, Block model, NDManager manager, List<Parameter> parameters)
            throws IOException {
        verify(chosen);
        TrainingState state = readState(chosen);
        Path modelFile = chosen.resolve(MODEL_FILE);
        try (DataInputStream in = open(modelFile)) {
            ModelFiles.loadParameters(model, manager, in);
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException(
                    "checkpoint file " + modelFile + " does not fit the model: " + e.getMessage(),
                    e);
        }
        Path optimizerFile = chosen.resolve(OPTIMIZER_FILE);
        AdamW optimizer;
        try (DataInputStream in = open(optimizerFile)) {
            optimizer = AdamW.load(in, manager, parameters);
        } catch (IOException e) {
            throw new IOException("checkpoint file " + optimizerFile + ": " + e.getMessage(), e);
        }
        return new Restored(state, optimizer, chosen);
    }

    private static TrainingState readState(Path directory) throws IOException {
        Path stateFile = directory.resolve(STATE_FILE);
        try {
            return JSON.readValue(stateFile.toFile(), TrainingState.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(
                    "checkpoint file " + stateFile + " is not a valid state: " + e.getMessage(), e);
        }
    }

    /** Checks that every file the marker lists is there with its size and checksum. */
    private static void verify(Path directory) throws IOException {
        Path marker = directory.resolve(COMPLETE_FILE);
        for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new IOException(
                        "checkpoint file " + marker + " is corrupt: line '" + line + "'");
            }
            long expectedSize;
            long expectedCrc;
            try {
                expectedSize = Long.parseLong(parts[1]);
                expectedCrc = Long.parseLong(parts[2], 16);
            } catch (NumberFormatException e) {
                throw new IOException(
                        "checkpoint file " + marker + " is corrupt: line '" + line + "'", e);
            }
            Path file = directory.resolve(parts[0]);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "checkpoint file missing");
            }
            long size = Files.size(file);
            if (size != expectedSize) {
                throw new IOException(
                        "checkpoint file "
                                + file
                                + " is corrupt: "
                                + size
                                + " bytes, expected "
                                + expectedSize);
            }
            CRC32 crc = new CRC32();
            try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (crc.getValue() != expectedCrc) {
                throw new IOException("checkpoint file " + file + " is corrupt: checksum mismatch");
            }
        }
    }

    /** Writes one file, fsynced, and returns its marker line {@code name size crc32}. */
    private static String writeFile(Path file, Writer writer) throws IOException {
        CRC32 crc = new CRC32();
        AtomicFile.write(
                file, out -> writer.write(new DataOutputStream(new CheckedOutputStream(out, crc))));
        return file.getFileName() + " " + Files.size(file) + " " + Long.toHexString(crc.getValue());
    }

    /** Writes the content of one file. */
    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    }

    private static boolean isComplete(Path directory) {
        return Files.isRegularFile(directory.resolve(COMPLETE_FILE));
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }

    private static void deleteStaleTemporaries(Path target) throws IOException {
        String prefix = target.getFileName() + ".tmp-";
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent())) {
            for (Path path : siblings) {
                if (path.getFileName().toString().startsWith(prefix)) {
                    stale.add(path);
                }
            }
        }
        for (Path path : stale) {
            deleteRecursively(path);
        }
    }

    /** Deletes a checkpoint directory, its marker first so a half-deleted one is never used. */
    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.deleteIfExists(directory.resolve(COMPLETE_FILE));
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
