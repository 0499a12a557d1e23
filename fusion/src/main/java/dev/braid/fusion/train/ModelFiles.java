package dev.braid.fusion.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.braid.files.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/** Saves and loads a block's parameters as one file, written atomically ({@link AtomicFile}). */
public final class ModelFiles {

    private ModelFiles() {}

    /** Writes the parameters of {@code block} to {@code file}; a crash leaves the old file. */
    public static void saveParameters(Block block, Path file) throws IOException {
        AtomicFile.write(file, out -> block.saveParameters(new DataOutputStream(out)));
    }

    /**
     * Reads parameters written by {@link #saveParameters} into {@code block}.
     *
     * @throws IOException if the file is missing or does not fit the block; the message names it
     */
    public static void loadParameters(Block block, NDManager manager, Path file)
            throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            loadParameters(block, manager, in);
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + " does not fit this model: " + e.getMessage(), e);
        }
    }

    /**
     * {@link Block#loadParameters}, minus two surprises: DJL swaps in new arrays without closing
     * the old ones, and the new arrays do not require a gradient, so training after a load would
     * fail. Both are put right here.
     */
    static void loadParameters(Block block, NDManager manager, DataInputStream in)
            throws IOException, MalformedModelException {
        Map<Parameter, NDArray> before = new IdentityHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            before.put(pair.getValue(), pair.getValue().getArray());
        }
        block.loadParameters(manager, in);
        for (Map.Entry<Parameter, NDArray> entry : before.entrySet()) {
            Parameter parameter = entry.getKey();
            if (parameter.getArray() != entry.getValue()) {
                entry.getValue().close();
            }
            if (parameter.requiresGradient()) {
                parameter.getArray().setRequiresGradient(true);
            }
        }
    }
}
