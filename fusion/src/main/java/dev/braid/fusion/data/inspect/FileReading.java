package dev.braid.fusion.data.inspect;

import dev.braid.audio.signal.WavReader;
import dev.braid.audio.signal.Waveform;
import dev.braid.vision.image.ImageDecodeException;
import dev.braid.vision.image.ImageDecoder;
import dev.braid.vision.image.ImageSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads one image or audio file of a row: its content hash and what decoding it finds. */
final class FileReading {

    /** Clips are read up to this length; a longer one is reported as this long. */
    static final double MAX_SECONDS = 600;

    private FileReading() {}

    static FileFacts image(String file, ImageDecoder decoder) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            return new FileFacts(file, null, null, 0, 0, "cannot be read: " + e.getMessage());
        }
        try {
            return new FileFacts(
                    file, sha256(bytes), decoder.facts(ImageSource.of(file, bytes)), 0, 0, null);
        } catch (ImageDecodeException e) {
            return new FileFacts(file, sha256(bytes), null, 0, 0, e.getMessage());
        }
    }

    static FileFacts audio(String file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            return new FileFacts(file, null, null, 0, 0, "cannot be read: " + e.getMessage());
        }
        try {
            Waveform clip = WavReader.read(new ByteArrayInputStream(bytes), file, MAX_SECONDS);
            return new FileFacts(
                    file, sha256(bytes), null, clip.seconds(), clip.sampleRate(), null);
        } catch (IOException e) { // AudioDecodeException is one
            return new FileFacts(file, sha256(bytes), null, 0, 0, e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
