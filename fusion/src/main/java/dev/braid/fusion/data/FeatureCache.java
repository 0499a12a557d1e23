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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

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

    /**
     * {@code behind} with the image and audio features it gives kept in memory as well, up to
     * {@code maxBytes} of floats, for the later epochs of one run: a lookup of a file read before
     * is then a map lookup and one {@code stat}, not a read of the file, its SHA-256 and a read of
     * the entry. A file whose size or modification time has changed since is read again. Once
     * {@code maxBytes} are held, further features are not kept (nothing is evicted, so epochs that
     * shuffle a dataset larger than the budget still find the part that fits). Plug-in and text
     * features go straight to {@code behind}. The arrays given out are shared: callers must not
     * change them (the collator copies them into a batch).
     */
    static Held heldInMemory(FeatureCache behind, long maxBytes) {
        return new Held(behind, maxBytes);
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

    /** Features kept in memory in front of another cache; see {@link #heldInMemory}. */
    final class Held implements FeatureCache {
        private record Key(String kind, String settingsJson, Path file) {}

        private record Value(Object features, long bytes, long size, FileTime modified) {
            Value(Object features, long bytes, BasicFileAttributes file) {
                this(features, bytes, file.size(), file.lastModifiedTime());
            }
        }

        private final FeatureCache behind;
        private final long maxBytes;
        private final Map<Key, Value> held = new ConcurrentHashMap<>();
        private final AtomicLong bytesHeld = new AtomicLong();
        private final AtomicLong hits = new AtomicLong();
        private volatile boolean full;

        private Held(FeatureCache behind, long maxBytes) {
            if (behind instanceof Held) {
                throw new IllegalArgumentException("the cache behind is already held in memory");
            }
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes (" + maxBytes + ") is negative");
            }
            this.behind = Objects.requireNonNull(behind, "behind");
            this.maxBytes = maxBytes;
        }

        /** How many lookups were answered from memory. */
        public long hits() {
            return hits.get();
        }

        /** The bytes of floats held. */
        public long bytesHeld() {
            return bytesHeld.get();
        }

        /** Whether some features were not kept for want of room. */
        public boolean full() {
            return full;
        }

        @Override
        public <T> T features(
                String kind, String settingsJson, Input input, Codec<T> codec, Supply<T> compute)
                throws IOException {
            return behind.features(kind, settingsJson, input, codec, compute);
        }

        @Override
        public float[] pixels(Path file, String settingsJson, Compute<float[]> compute)
                throws IOException {
            return held(
                    new Key("image", settingsJson, file),
                    float[].class,
                    () -> behind.pixels(file, settingsJson, compute),
                    v -> (long) v.length * Float.BYTES);
        }

        @Override
        public Features logMel(Path file, String settingsJson, Compute<Features> compute)
                throws IOException {
            return held(
                    new Key("audio", settingsJson, file),
                    Features.class,
                    () -> behind.logMel(file, settingsJson, compute),
                    v -> (long) v.rows() * v.width() * Float.BYTES);
        }

        private <T> T held(Key key, Class<T> type, Supply<T> read, ToLongFunction<T> bytes)
                throws IOException {
            BasicFileAttributes file = Files.readAttributes(key.file(), BasicFileAttributes.class);
            Value value = held.get(key);
            if (value != null
                    && value.size() == file.size()
                    && value.modified().equals(file.lastModifiedTime())) {
                hits.incrementAndGet();
                return type.cast(value.features());
            }
            T features = read.get();
            keep(key, new Value(features, bytes.applyAsLong(features), file));
            return features;
        }

        // misses are rare after the first epoch, so one lock keeps the byte count exact
        private synchronized void keep(Key key, Value value) {
            Value old = held.remove(key);
            long used = bytesHeld.addAndGet(-(old == null ? 0 : old.bytes()));
            if (used + value.bytes() <= maxBytes) {
                held.put(key, value);
                bytesHeld.addAndGet(value.bytes());
            } else {
                full = true;
            }
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
