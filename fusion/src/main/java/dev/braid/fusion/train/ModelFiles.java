package dev.braid.fusion.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Saves and loads a block's parameters as one file, written atomically (temp file + rename). */
public final class ModelFiles {

    private ModelFiles() {}

    /** Writes the parameters of {@code block} to {@code file}; a crash leaves the old file. */
    public static void saveParameters(Block block, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (java.nio.channels.FileChannel channel =
                        java.nio.channels.FileChannel.open(
                                tmp, java.nio.file.StandardOpenOption.WRITE);
                OutputStream raw = java.nio.channels.Channels.newOutputStream(channel);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
            block.saveParameters(out);
            out.flush();
            channel.force(true); // on disk before the rename makes it visible
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
            block.loadParameters(manager, in);
        } catch (MalformedModelException | IllegalArgumentException e) {
            throw new IOException(file + " does not fit this model: " + e.getMessage(), e);
        }
    }
}
