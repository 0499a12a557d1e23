package dev.braid.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir Path dir;

    @Test
    void writesAFileThatDoesNotExistYetWithItsDirectories() throws IOException {
        Path file = dir.resolve("a/b/report.html");
        AtomicFile.write(file, "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
        assertEquals("<p>hi</p>", Files.readString(file));
        assertEquals(List.of(file), files(file.getParent()));
    }

    @Test
    void replacesTheOldContentWithWhatTheCallbackWrites() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "a longer old content");
        AtomicFile.write(
                file,
                out -> {
                    out.write('{');
                    out.write("\"step\":".getBytes(StandardCharsets.UTF_8));
                    out.write(new byte[] {'1', '2', '}'}, 0, 3);
                });
        assertEquals("{\"step\":12}", Files.readString(file));
        assertEquals(List.of(file), files(dir));
    }

    @Test
    void aCallbackThatClosesTheStreamStillHasItsContentWritten() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        AtomicFile.write(
                file,
                out -> {
                    try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                        writer.write("語");
                    }
                });
        assertEquals("語", Files.readString(file));
    }

    @Test
    void aFailingCallbackLeavesThePreviousFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("model.params");
        Files.writeString(file, "old");
        IOException failure = new IOException("disk full");
        IOException thrown =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFile.write(
                                        file,
                                        out -> {
                                            out.write(new byte[100_000]); // past the buffer
                                            throw failure;
                                        }));
        assertSame(failure, thrown);
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), files(dir));
    }

    @Test
    void aFailingFirstWriteLeavesNothing() {
        Path file = dir.resolve("entry.bin");
        IllegalStateException failure = new IllegalStateException("bad features");
        assertSame(
                failure,
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                AtomicFile.write(
                                        file,
                                        out -> {
                                            out.write(1);
                                            throw failure;
                                        })));
        assertEquals(List.of(), files(dir));
    }

    @Test
    void theFileGetsTheModeAPlainWriteGives() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFile.write(atomic, new byte[] {'x'});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void moveRenamesADirectoryIntoPlace() throws IOException {
        Path temporary = dir.resolve("checkpoint.tmp-1");
        AtomicFile.write(temporary.resolve("COMPLETE"), new byte[] {'\n'});
        Path target = dir.resolve("checkpoint");
        AtomicFile.move(temporary, target);
        assertFalse(Files.exists(temporary));
        assertEquals("\n", Files.readString(target.resolve("COMPLETE")));
    }

    private static List<Path> files(Path directory) {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnforcedWriteReplacesTheFileToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache/entry.bin");
        AtomicFile.write(
                file, out -> out.write(new byte[] {1, 2}), AtomicFile.Durability.NOT_FORCED);
        AtomicFile.write(file, out -> out.write(new byte[] {3}), AtomicFile.Durability.NOT_FORCED);
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file left");
        }
    }
}
