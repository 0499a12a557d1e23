package dev.braid.files;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file in one step, so that a reader, or the run after a kill or a power cut, finds the
 * old content or the new and never half of it.
 *
 * <pre>{@code
 * AtomicFile.write(dir.resolve("model.json"), json.writeValueAsBytes(root));
 * AtomicFile.write(paramsFile, out -> block.saveParameters(new DataOutputStream(out)));
 * }</pre>
 *
 * <p>The content goes to a temporary file beside the target ({@code <name>.<random>.tmp}, so
 * writers sharing a folder never collide), is forced to disk, and is renamed over the target; then
 * the directory is forced too, so the rename itself survives a power cut. A write that fails
 * deletes its temporary file and leaves the target as it was. One killed mid-write leaves its
 * temporary file behind, under a name no reader looks for.
 */
public final class AtomicFile {

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {

        /**
         * Writes the content to {@code out}. It is buffered, and closing it only flushes, so it can
         * be handed to a writer that closes its target when done (Jackson does).
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Whether a write also survives a power cut, or only a killed process and concurrent readers.
     */
    public enum Durability {
        /** Forced to disk before and after the rename: for models, checkpoints, logs. */
        FORCED,
        /**
         * Renamed into place without forcing: a reader or a killed process still never sees half a
         * file, but a power cut may lose the write. For caches, whose lost entries are recomputed:
         * forcing each of a dataset's feature-cache entries costs seconds of disk waits a run.
         */
        NOT_FORCED
    }

    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFile() {}

    /**
     * Replaces {@code file} with {@code content}, creating the file and its directories if needed.
     *
     * @throws IOException if writing fails; {@code file} is then unchanged
     */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, out -> out.write(content));
    }

    /**
     * Replaces {@code file} with what {@code content} writes, creating the file and its directories
     * if needed.
     *
     * @throws IOException if {@code content} or writing fails (an unchecked exception from {@code
     *     content} passes through as it is); {@code file} is then unchanged
     */
    public static void write(Path file, Content content) throws IOException {
        write(file, content, Durability.FORCED);
    }

    /**
     * As {@link #write(Path, Content)}, forced to disk or not.
     *
     * @throws IOException if {@code content} or writing fails; {@code file} is then unchanged
     */
    public static void write(Path file, Content content, Durability durability) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = createTemporary(target);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out =
                        new KeepOpen(
                                new BufferedOutputStream(
                                        Channels.newOutputStream(channel), BUFFER_BYTES));
                content.writeTo(out);
                out.flush();
                if (durability == Durability.FORCED) {
                    // before the rename: after a power cut the new name may otherwise point at
                    // an empty or partly written file
                    channel.force(true);
                }
            }
            rename(temporary, target);
            if (durability == Durability.FORCED) {
                syncDirectory(target.getParent());
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Renames {@code source} over {@code target} in one step and makes the rename survive a power
     * cut. For a file or directory that is complete and on disk already, in the same directory as
     * {@code target} (a checkpoint directory written beside the one it replaces); {@link #write}
     * does all of it for a single file. A directory {@code target} must be empty or missing.
     *
     * @throws IOException if the rename fails; {@code target} is then unchanged
     */
    public static void move(Path source, Path target) throws IOException {
        rename(source, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(
                    source,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // some network and FUSE filesystems refuse it: a plain replace is the best they offer
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A new empty file beside {@code target}. Not {@link Files#createTempFile}: it makes the file
     * readable by its owner only, and the rename would give the target that mode too; this one gets
     * the mode any new file gets.
     */
    private static Path createTemporary(Path target) throws IOException {
        while (true) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path candidate = target.resolveSibling(target.getFileName() + "." + random + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory and some filesystems refuse to force one: the
            // rename is then as durable as the platform makes it, which is all there is to have
        }
    }

    /** Closing only flushes: the channel has to stay open to be forced after the content. */
    private static final class KeepOpen extends FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length); // FilterOutputStream's own writes one byte at a time
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
