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
 * Where deterministic (non-augmented) features are kept between runs: either nowhere ({@link
 * #none()}) or in a folder ({@link #onDisk(Path)}). Images and audio have their own entry points
 * ({@link #pixels}, {@link #logMel}); any other kind of features (a plug-in modality's) goes
 * through {@link #features} with a {@link Codec} of its own.
 *
 * <p>On disk, an entry's key is the SHA-256 of a format version, the kind of entry, the settings
 * that produce it (as JSON) and the input's bytes (an image's or a clip's file); so an edited file
 * or changed settings miss, and a renamed file hits. Writes go to a temporary file renamed into
 * place, so a reader never sees a half-written entry and several processes may share a folder. An
 * unreadable entry counts as a miss and is rewritten. Thread-safe.
 */
public sealed interface FeatureCache {

    /** Computes features from the bytes of an input file. */
    @FunctionalInterface
    interface Compute<T> {
        T apply(byte[] fileBytes) throws IOException;
    }

    /**
     * Reads the bytes that features depend on, or gives null if these features are not to be
     * cached; called only by a cache that keeps entries.
     */
    @FunctionalInterface
    interface Input {
        byte[] read() throws IOException;
    }

    /** Computes features on a miss (every time, without a cache). */
    @FunctionalInterface
    interface Supply<T> {
        T get() throws IOException;
    }

    /** How one kind of features is written into an entry and read back. */
    interface Codec<T> {
        void write(DataOutputStream out, T value) throws IOException;

        /**
         * Reads what {@link #write} wrote.
         *
         * @throws IOException if the bytes are not such an entry (the lookup then misses)
         */
        T read(DataInputStream in) throws IOException;
    }

    /**
     * Features of one input: read from the cache, or computed and stored.
     *
     * @param kind the kind of features (a modality), part of the key
     * @param settingsJson everything besides the input that shapes the result, as JSON
     * @param input the bytes the result depends on, the rest of the key; null from it computes
     *     without the cache (neither a hit nor a miss)
     * @param codec writes and reads the entry
     * @param compute computes the result on a miss
     * @throws IOException if the input cannot be read or {@code compute} fails
     */
    <T> T features(String kind, String settingsJson, Input input, Codec<T> codec, Supply<T> compute)
            throws IOException;

    /**
     * The image features of {@code file}: read from the cache, or computed and stored.
     *
     * @param file the image file
     * @param settingsJson everything that shapes the result, as JSON
     * @param compute turns the file's bytes into {@code [C, H, W]} floats
     * @throws IOException if the file cannot be read or {@code compute} fails
     */
    default float[] pixels(Path file, String settingsJson, Compute<float[]> compute)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return features("image", settingsJson, () -> bytes, PIXELS, () -> compute.apply(bytes));
    }

    /** As {@link #pixels}, for a log-mel spectrogram. */
    default Features logMel(Path file, String settingsJson, Compute<Features> compute)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return features("audio", settingsJson, () -> bytes, LOG_MEL, () -> compute.apply(bytes));
    }

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

    /** An image entry: the length, then the floats. */
    Codec<float[]> PIXELS =
            new Codec<>() {
                @Override
                public void write(DataOutputStream out, float[] values) throws IOException {
                    out.writeInt(values.length);
                    writeFloats(out, values);
                }

                @Override
                public float[] read(DataInputStream in) throws IOException {
                    return readFloats(in, in.readInt());
                }
            };

    /** An audio entry: rows, width, frames, then the rows' floats. */
    Codec<Features> LOG_MEL =
            new Codec<>() {
                @Override
                public void write(DataOutputStream out, Features features) throws IOException {
                    out.writeInt(features.rows());
                    out.writeInt(features.width());
                    out.writeInt(features.frames());
                    for (float[] row : features.values()) {
                        writeFloats(out, row);
                    }
                }

                @Override
                public Features read(DataInputStream in) throws IOException {
                    int rows = in.readInt();
                    int width = in.readInt();
                    int frames = in.readInt();
                    if (rows < 0 || rows > (1 << 16)) {
                        throw new IOException("bad row count " + rows);
                    }
                    float[][] values = new float[rows][];
                    for (int r = 0; r < rows; r++) {
                        values[r] = readFloats(in, width);
                    }
                    try {
                        return new Features(values, frames);
                    } catch (IllegalArgumentException e) {
                        throw new IOException("not a log-mel entry: " + e.getMessage(), e);
                    }
                }
            };

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

    /** No cache. */
    final class None implements FeatureCache {
        private static final None INSTANCE = new None();

        private None() {}

        @Override
        public <T> T features(
                String kind, String settingsJson, Input input, Codec<T> codec, Supply<T> compute)
                throws IOException {
            return compute.get();
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
        public <T> T features(
                String kind, String settingsJson, Input input, Codec<T> codec, Supply<T> compute)
                throws IOException {
            byte[] bytes = input.read();
            if (bytes == null) {
                return compute.get();
            }
            Path entry = entry(kind, settingsJson, bytes);
            try (DataInputStream in = open(entry)) {
                if (in != null) {
                    T value = codec.read(in);
                    if (in.read() != -1) {
                        throw new IOException("cache entry " + entry + " has trailing bytes");
                    }
                    hits.incrementAndGet();
                    return value;
                }
            } catch (IOException e) {
                // unreadable, truncated or overlong entry: recompute and overwrite
            }
            misses.incrementAndGet();
            T value = compute.get();
            AtomicFile.write(
                    entry,
                    raw -> {
                        DataOutputStream out = new DataOutputStream(raw);
                        out.writeInt(FORMAT_VERSION);
                        codec.write(out, value);
                    },
                    // an entry a power cut loses or truncates is unreadable, so recomputed
                    AtomicFile.Durability.NOT_FORCED);
            return value;
        }

        private Path entry(String kind, String settingsJson, byte[] bytes) {
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
                                    + kind
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
    }
}
