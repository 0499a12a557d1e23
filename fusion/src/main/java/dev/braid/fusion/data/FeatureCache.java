package dev.braid.fusion.data;

import dev.braid.audio.features.Features;
import dev.braid.files.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where deterministic (non-augmented) image and audio features are kept between runs: either
 * nowhere ({@link #none()}) or in a folder ({@link #onDisk(Path)}).
 *
 * <p>On disk, an entry's key is the SHA-256 of a format version, the modality, the settings that
 * produce it (as JSON) and the input file's bytes; so an edited file or changed settings miss, and
 * a renamed file hits. Writes go to a temporary file renamed into place, so a reader never sees a
 * half-written entry and several processes may share a folder. An unreadable entry counts as a miss
 * and is rewritten. Thread-safe.
 */
public sealed interface FeatureCache {

    /** Computes features from the bytes of an input file. */
    @FunctionalInterface
    interface Compute<T> {
        T apply(byte[] fileBytes) throws IOException;
    }

    /**
     * The image features of {@code file}: read from the cache, or computed and stored.
     *
     * @param file the image file
     * @param settingsJson everything that shapes the result, as JSON
     * @param compute turns the file's bytes into {@code [C, H, W]} floats
     * @throws IOException if the file cannot be read or {@code compute} fails
     */
    float[] pixels(Path file, String settingsJson, Compute<float[]> compute) throws IOException;

    /** As {@link #pixels}, for a log-mel spectrogram. */
    Features logMel(Path file, String settingsJson, Compute<Features> compute) throws IOException;

    /** No cache: every call computes. */
    static FeatureCache none() {
        return None.INSTANCE;
    }

    /**
     * A cache in {@code dir}, created if missing.
     *
     * @throws IOException if the folder cannot be created
     */
    static OnDisk onDisk(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new OnDisk(dir);
    }

    /** No cache. */
    final class None implements FeatureCache {
        private static final None INSTANCE = new None();

        private None() {}

        @Override
        public float[] pixels(Path file, String settingsJson, Compute<float[]> compute)
                throws IOException {
            return compute.apply(Files.readAllBytes(file));
        }

        @Override
        public Features logMel(Path file, String settingsJson, Compute<Features> compute)
                throws IOException {
            return compute.apply(Files.readAllBytes(file));
        }
    }

    /** A cache in a folder; counts hits and misses. */
    final class OnDisk implements FeatureCache {
        /** Part of every key and the first int of every entry; bump when the format changes. */
        static final int FORMAT_VERSION = 1;

        private final Path dir;
        private final AtomicLong hits = new AtomicLong();
        private final AtomicLong misses = new AtomicLong();

        private OnDisk(Path dir) {
            this.dir = dir;
        }

        /** The cache folder. */
        public Path dir() {
            return dir;
        }

        /** How many lookups found their entry. */
        public long hits() {
            return hits.get();
        }

        /** How many lookups computed (and stored) their entry. */
        public long misses() {
            return misses.get();
        }

        @Override
        public float[] pixels(Path file, String settingsJson, Compute<float[]> compute)
                throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            Path entry = entry("image", settingsJson, bytes);
            try (DataInputStream in = open(entry)) {
                if (in != null) {
                    float[] values = readFloats(in, in.readInt());
                    hits.incrementAndGet();
                    return values;
                }
            } catch (IOException e) {
                // unreadable or truncated entry: recompute and overwrite
            }
            misses.incrementAndGet();
            float[] values = compute.apply(bytes);
            write(
                    entry,
                    out -> {
                        out.writeInt(values.length);
                        writeFloats(out, values);
                    });
            return values;
        }

        @Override
        public Features logMel(Path file, String settingsJson, Compute<Features> compute)
                throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            Path entry = entry("audio", settingsJson, bytes);
            try (DataInputStream in = open(entry)) {
                if (in != null) {
                    int rows = in.readInt();
                    int width = in.readInt();
                    int frames = in.readInt();
                    float[][] values = new float[rows][];
                    for (int r = 0; r < rows; r++) {
                        values[r] = readFloats(in, width);
                    }
                    hits.incrementAndGet();
                    return new Features(values, frames);
                }
            } catch (IOException | IllegalArgumentException e) {
                // unreadable or truncated entry: recompute and overwrite
            }
            misses.incrementAndGet();
            Features features = compute.apply(bytes);
            write(
                    entry,
                    out -> {
                        out.writeInt(features.rows());
                        out.writeInt(features.width());
                        out.writeInt(features.frames());
                        for (float[] row : features.values()) {
                            writeFloats(out, row);
                        }
                    });
            return features;
        }

        private Path entry(String modality, String settingsJson, byte[] bytes) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
            sha.update(
                    ("braid-feature-cache/"
                                    + FORMAT_VERSION
                                    + "\n"
                                    + modality
                                    + "\n"
                                    + settingsJson
                                    + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
            String hex = HexFormat.of().formatHex(sha.digest());
            return dir.resolve(hex.substring(0, 2)).resolve(hex + ".bin");
        }

        /** The entry positioned after its version, or null if there is none. */
        private static DataInputStream open(Path entry) throws IOException {
            if (!Files.isRegularFile(entry)) {
                return null;
            }
            InputStream raw = Files.newInputStream(entry);
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            if (in.readInt() != FORMAT_VERSION) {
                in.close();
                throw new IOException("cache entry " + entry + " has another format version");
            }
            return in;
        }

        private interface Body {
            void write(DataOutputStream out) throws IOException;
        }

        private static void write(Path entry, Body body) throws IOException {
            AtomicFile.write(
                    entry,
                    raw -> {
                        DataOutputStream out = new DataOutputStream(raw);
                        out.writeInt(FORMAT_VERSION);
                        body.write(out);
                    },
                    // an entry a power cut loses or truncates is unreadable, so recomputed
                    AtomicFile.Durability.NOT_FORCED);
        }

        private static float[] readFloats(DataInputStream in, int n) throws IOException {
            if (n < 0 || n > (1 << 28)) {
                throw new IOException("bad length " + n);
            }
            // one bulk read: readFloat() per element made the loader threads the run's second
            // biggest CPU user
            byte[] bytes = new byte[n * Float.BYTES];
            in.readFully(bytes);
            float[] values = new float[n];
            ByteBuffer.wrap(bytes).asFloatBuffer().get(values); // big-endian, as DataOutput
            return values;
        }

        private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
            bytes.asFloatBuffer().put(values);
            out.write(bytes.array());
        }
    }
}
