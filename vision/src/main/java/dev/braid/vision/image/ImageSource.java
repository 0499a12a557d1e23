package dev.braid.vision.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the encoded bytes of one image come from: a file, or bytes already in memory.
 *
 * <p>The {@link #name()} is what error messages show: the file path, or the name the caller gave
 * with the bytes.
 */
public sealed interface ImageSource {

    /** The file path, or the name given with the bytes; shown in error messages. */
    String name();

    /**
     * Reads the encoded bytes.
     *
     * @param options the largest encoded size accepted ({@link DecodeOptions#maxBytes()}) and its
     *     name for the message
     * @return the encoded bytes, never empty
     * @throws ImageDecodeException if the source cannot be read, is empty or exceeds the limit
     */
    byte[] readBytes(DecodeOptions options);

    /** An image stored in a file. */
    static ImageSource of(Path path) {
        return new FileSource(path);
    }

    /** An image already in memory; {@code name} is what error messages will show. */
    static ImageSource of(String name, byte[] bytes) {
        return new BytesSource(name, bytes);
    }

    /** An image stored in a file. */
    record FileSource(Path path) implements ImageSource {

        /** Checks that {@code path} is not null. */
        public FileSource {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public byte[] readBytes(DecodeOptions options) {
            if (Files.isDirectory(path)) {
                throw new ImageDecodeException(name(), "is a directory, not an image file");
            }
            try (InputStream in = Files.newInputStream(path)) {
                long size = Files.size(path);
                checkSize(name(), size, options);
                byte[] bytes = in.readNBytes((int) size);
                checkSize(name(), bytes.length, options);
                return bytes;
            } catch (NoSuchFileException e) {
                throw new ImageDecodeException(name(), "file does not exist", e);
            } catch (AccessDeniedException e) {
                throw new ImageDecodeException(
                        name(), "file is not readable (permission denied)", e);
            } catch (IOException e) {
                throw new ImageDecodeException(name(), "file cannot be read (" + e + ")", e);
            }
        }
    }

    /** An image already in memory. The array is not copied: do not change it afterwards. */
    record BytesSource(String name, byte[] bytes) implements ImageSource {

        /** Checks that neither argument is null. */
        public BytesSource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public byte[] readBytes(DecodeOptions options) {
            checkSize(name, bytes.length, options);
            return bytes;
        }
    }

    private static void checkSize(String name, long size, DecodeOptions options) {
        if (size == 0) {
            throw new ImageDecodeException(name, "file is empty (0 bytes)");
        }
        if (size > options.maxBytes()) {
            throw new ImageDecodeException(
                    name,
                    "file has "
                            + size
                            + " bytes, above the limit of "
                            + options.maxBytes()
                            + " (raise "
                            + options.names().maxBytes()
                            + " to accept it)");
        }
    }
}
