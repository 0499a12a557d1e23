package dev.braid.apps;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files and folders a command is given before it reads them, so that a mistake reads
 * {@code --image photo.png: no such file} rather than a bare path or "Is a directory".
 */
final class InputFiles {

    private InputFiles() {}

    /**
     * Returns {@code path} if it is a readable file.
     *
     * @param option the flag that gave it, named in the message
     * @throws IllegalArgumentException naming the flag and the path: no such file, a directory, or
     *     not readable
     */
    static Path file(String option, Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(
                    option + " " + path + ": is a directory, not a file");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(
                    option + " " + path + ": not readable (permission denied)");
        }
        return path;
    }

    /**
     * Returns {@code path} if it is a folder.
     *
     * @param option the flag that gave it, named in the message
     * @throws IllegalArgumentException naming the flag and the path: no such directory, or a file
     */
    static Path directory(String option, Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + ": no such directory");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(
                    option + " " + path + ": is a file, not a directory");
        }
        return path;
    }

    /**
     * Returns {@code path} if it exists: a dataset is a folder, or a CSV/TSV file.
     *
     * @param option the flag or argument that gave it, named in the message
     * @throws IllegalArgumentException naming the flag and the path if there is nothing there
     */
    static Path dataset(String option, Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + ": no such file or directory");
        }
        return path;
    }

    /**
     * The user's mistake an input that does not decode is, named by the flag that gave it: {@code
     * --image FILE: reason}, {@code --audio FILE: reason} or {@code --text: reason}.
     */
    static IllegalArgumentException unreadable(
            dev.braid.fusion.data.UnreadableInputException e, Path image, Path audio) {
        String input =
                e.modality().equals(dev.braid.fusion.Modality.IMAGE)
                        ? "--image " + image
                        : e.modality().equals(dev.braid.fusion.Modality.AUDIO)
                                ? "--audio " + audio
                                : "--text";
        return new IllegalArgumentException(input + ": " + e.reason(), e);
    }
}
