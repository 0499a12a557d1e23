package dev.braid.fusion.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.files.AtomicFile;
import dev.braid.fusion.predict.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * How a model was trained, as {@link FusionTrainer} records it for every run ({@code
 * RUN/provenance.json}, and in the model's {@code model.json}), whether the run came from the
 * command line or from Java.
 *
 * @param braidVersion the version of the Braid build that trained it
 * @param started when this process began the run (a resumed run: when it resumed), ISO-8601 UTC
 * @param finished when the run ended or paused, ISO-8601 UTC
 * @param resumedFromStep the step a resumed run began at; 0 for a run from the start
 * @param seed the run's seed
 * @param training the training configuration
 * @param datasets the manifests the training batches came from, each with its fingerprint
 * @param epochs epochs run in all
 * @param steps optimiser steps taken in all
 */
public record Provenance(
        String braidVersion,
        String started,
        String finished,
        int resumedFromStep,
        long seed,
        TrainConfig training,
        List<DatasetFingerprint> datasets,
        int epochs,
        int steps) {

    /** The file a run folder keeps it in. */
    public static final String FILE = "provenance.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One manifest training read, identified by content: a manifest or table file, or a class
     * folder, whose content here is the list of its files' names and sizes (hashing every photo of
     * a large dataset would cost more than it tells).
     *
     * @param manifest its path
     * @param bytes its size (a folder's: the bytes of its files)
     * @param sha256 the SHA-256 of its bytes (a folder's: of its listing), hex
     */
    public record DatasetFingerprint(String manifest, long bytes, String sha256) {

        /** The fingerprint of {@code manifest} as it is on disk now. */
        public static DatasetFingerprint of(Path manifest) throws IOException {
            if (Files.isDirectory(manifest)) {
                return ofFolder(manifest);
            }
            return of(Files.readAllBytes(manifest), manifest);
        }

        private static DatasetFingerprint of(byte[] content, Path manifest) {
            try {
                String hash =
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(content));
                return new DatasetFingerprint(manifest.toString(), content.length, hash);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        private static DatasetFingerprint ofFolder(Path folder) throws IOException {
            StringBuilder listing = new StringBuilder();
            long bytes = 0;
            try (java.util.stream.Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    long size = Files.size(f);
                    bytes += size;
                    listing.append(f.getFileName()).append('\t').append(size).append('\n');
                }
            }
            DatasetFingerprint hashed =
                    of(
                            listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            folder);
            return new DatasetFingerprint(folder.toString(), bytes, hashed.sha256());
        }
    }

    public Provenance {
        datasets = List.copyOf(datasets);
    }

    /** The fingerprints of {@code manifests}, in path order. */
    static List<DatasetFingerprint> fingerprints(Collection<Path> manifests) throws IOException {
        List<DatasetFingerprint> out = new ArrayList<>();
        for (Path manifest : new TreeSet<>(manifests)) {
            out.add(DatasetFingerprint.of(manifest));
        }
        return out;
    }

    /** The Braid build's version. */
    static String buildVersion() {
        return ModelDirectory.BRAID_VERSION;
    }

    /** Writes it as JSON, replacing {@code file} in one step. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsBytes(this));
    }

    /** Reads what {@link #write} wrote. */
    public static Provenance read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Provenance.class);
    }
}
