package dev.braid.audio.signal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads RIFF/WAVE audio into a mono {@link Waveform} at the file's own sample rate.
 *
 * <p>Supported encodings: PCM 8 (unsigned), 16, 24 and 32 bit (signed), IEEE float 32 and 64 bit,
 * plain or {@code WAVE_FORMAT_EXTENSIBLE}; any number of channels, averaged to mono; any sample
 * rate up to 1 MHz. Chunks other than {@code fmt } and {@code data} are skipped.
 *
 * <p>The data chunk is streamed: at most {@code maxSeconds} of sample frames are read and the rest
 * of the file is never touched, so memory stays bounded whatever the header claims.
 *
 * <p>Bad input, and what it gives:
 *
 * <ul>
 *   <li>not RIFF/WAVE (an MP3 or text file renamed {@code .wav}): {@link AudioDecodeException}
 *       naming the source and the first four bytes, e.g. {@code not a RIFF/WAVE file: starts with
 *       'ID3'};
 *   <li>a header that ends early, a missing or inconsistent {@code fmt } chunk, an unsupported
 *       encoding: {@link AudioDecodeException} saying which;
 *   <li>a data chunk that claims more bytes than the file holds (a lying header, or a streamed WAV
 *       with size {@code 0xFFFFFFFF}): the complete sample frames that exist are returned, a
 *       partial last frame is dropped and a warning is logged;
 *   <li>no sample frames at all: {@link AudioDecodeException} ({@code contains no samples});
 *   <li>NaN or infinite float samples: {@link AudioDecodeException} naming the frame index and
 *       channel of the first one;
 *   <li>all-zero silence and a single sample are valid waveforms;
 *   <li>the RIFF size field is not checked (streaming writers often leave it wrong).
 * </ul>
 */
public final class WavReader {

    private static final Logger LOG = LoggerFactory.getLogger(WavReader.class);

    private static final int FORMAT_PCM = 0x0001;
    private static final int FORMAT_FLOAT = 0x0003;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int MAX_FMT_BYTES = 4096;
    private static final int MAX_CHANNELS = 64;
    private static final int MAX_SAMPLE_RATE = 1_000_000;
    private static final int BLOCK_FRAMES = 4096;
    private static final int MAX_SAMPLES = Integer.MAX_VALUE - 8;

    private WavReader() {}

    /**
     * Reads a WAV file.
     *
     * @param path the file
     * @param maxSeconds at most this many seconds are read
     * @return mono samples at the file's sample rate
     * @throws AudioDecodeException if the file is not a readable WAV (see class Javadoc)
     * @throws IOException if the file cannot be opened or read
     */
    public static Waveform read(Path path, double maxSeconds) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), maxSeconds);
        }
    }

    /**
     * Reads WAV bytes from a stream. The stream is not closed.
     *
     * @param in the bytes, positioned at the RIFF header
     * @param source a name for the audio used in error messages, e.g. its origin
     * @param maxSeconds at most this many seconds are read
     * @return mono samples at the file's sample rate
     * @throws AudioDecodeException if the bytes are not a readable WAV (see class Javadoc)
     * @throws IOException if the stream fails
     */
    public static Waveform read(InputStream in, String source, double maxSeconds)
            throws IOException {
        if (!(maxSeconds > 0)) {
            throw new IllegalArgumentException("maxSeconds (" + maxSeconds + ") must be positive");
        }
        return new Parser(new BufferedInputStream(in, 1 << 16), source).parse(maxSeconds);
    }

    /** The fields of a {@code fmt } chunk that decoding needs. */
    private record Format(int encoding, int channels, int sampleRate, int bitsPerSample) {

        int bytesPerSample() {
            return bitsPerSample / 8;
        }

        int frameBytes() {
            return channels * bytesPerSample();
        }
    }

    /** One pass over one stream; keeps the byte position for error messages. */
    private static final class Parser {
        private final InputStream in;
        private final String source;
        private long position;

        Parser(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        Waveform parse(double maxSeconds) throws IOException {
            readRiffHeader();
            Format format = null;
            while (true) {
                byte[] header = new byte[8];
                int got = readUpTo(header, 0, 8);
                if (got == 0) {
                    throw error("no data chunk found before the end of the file");
                }
                if (got < 8) {
                    throw error("truncated header: file ends inside a chunk header");
                }
                String id = new String(header, 0, 4, StandardCharsets.US_ASCII);
                long size = readUInt32(header, 4);
                if (id.equals("fmt ")) {
                    format = readFormat(size);
                } else if (id.equals("data")) {
                    if (format == null) {
                        throw error("header is inconsistent: data chunk comes before fmt chunk");
                    }
                    return readData(format, size, maxSeconds);
                } else {
                    skip(size + (size & 1), "chunk '" + printable(header, 4) + "'");
                }
            }
        }

        private void readRiffHeader() throws IOException {
            byte[] riff = new byte[12];
            int got = readUpTo(riff, 0, 12);
            if (got < 4) {
                throw error("not a RIFF/WAVE file: only " + got + " bytes long");
            }
            String magic = new String(riff, 0, 4, StandardCharsets.US_ASCII);
            if (magic.equals("RIFX")) {
                throw error("big-endian RIFX WAV is not supported; convert it to little-endian");
            }
            if (!magic.equals("RIFF")) {
                throw error("not a RIFF/WAVE file: starts with '" + printable(riff, 4) + "'");
            }
            if (got < 12) {
                throw error("truncated header: file ends after " + got + " bytes");
            }
            String form = new String(riff, 8, 4, StandardCharsets.US_ASCII);
            if (!form.equals("WAVE")) {
                throw error(
                        "not a RIFF/WAVE file: RIFF form type is '"
                                + printable(new byte[] {riff[8], riff[9], riff[10], riff[11]}, 4)
                                + "'");
            }
        }

        private Format readFormat(long size) throws IOException {
            if (size < 16 || size > MAX_FMT_BYTES) {
                throw error("fmt chunk size (" + size + ") must be in [16, " + MAX_FMT_BYTES + "]");
            }
            int padded = (int) (size + (size & 1));
            byte[] fmt = new byte[padded];
            if (readUpTo(fmt, 0, padded) < size) {
                throw error("truncated header: file ends inside the fmt chunk");
            }
            int tag = readUInt16(fmt, 0);
            int channels = readUInt16(fmt, 2);
            long sampleRate = readUInt32(fmt, 4);
            int blockAlign = readUInt16(fmt, 12);
            int bits = readUInt16(fmt, 14);
            int encoding = tag;
            if (tag == FORMAT_EXTENSIBLE) {
                if (size < 40) {
                    throw error("extensible fmt chunk size (" + size + ") must be at least 40");
                }
                encoding = readUInt16(fmt, 24);
            }
            if (encoding != FORMAT_PCM && encoding != FORMAT_FLOAT) {
                throw error(
                        String.format(
                                "unsupported encoding (format tag 0x%04X); only PCM and IEEE"
                                        + " float WAVs are supported",
                                encoding));
            }
            if (channels < 1 || channels > MAX_CHANNELS) {
                throw error("channels (" + channels + ") must be in [1, " + MAX_CHANNELS + "]");
            }
            if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
                throw error(
                        "sampleRate (" + sampleRate + ") must be in [1, " + MAX_SAMPLE_RATE + "]");
            }
            boolean bitsOk =
                    encoding == FORMAT_PCM
                            ? bits == 8 || bits == 16 || bits == 24 || bits == 32
                            : bits == 32 || bits == 64;
            if (!bitsOk) {
                throw error(
                        "bitsPerSample ("
                                + bits
                                + ") is not supported for "
                                + (encoding == FORMAT_PCM
                                        ? "PCM (8, 16, 24, 32)"
                                        : "float (32, 64)"));
            }
            Format format = new Format(encoding, channels, (int) sampleRate, bits);
            if (blockAlign != format.frameBytes()) {
                throw error(
                        "header is inconsistent: blockAlign ("
                                + blockAlign
                                + ") != channels ("
                                + channels
                                + ") x bitsPerSample/8 ("
                                + format.bytesPerSample()
                                + ")");
            }
            return format;
        }

        private Waveform readData(Format format, long size, double maxSeconds) throws IOException {
            int frameBytes = format.frameBytes();
            long claimedFrames = size / frameBytes;
            long capFrames = (long) Math.floor(maxSeconds * format.sampleRate());
            long wanted = Math.min(claimedFrames, capFrames);
            if (claimedFrames > capFrames) {
                LOG.debug(
                        "{}: reading the first {} s of {} s",
                        source,
                        maxSeconds,
                        claimedFrames / (double) format.sampleRate());
            }
            // Grown as samples arrive, so a header that over-claims costs no memory.
            float[] mono = new float[(int) Math.min(wanted, BLOCK_FRAMES)];
            byte[] block = new byte[BLOCK_FRAMES * frameBytes];
            int frames = 0;
            while (frames < wanted) {
                int blockFrames = (int) Math.min(BLOCK_FRAMES, wanted - frames);
                int got = readUpTo(block, 0, blockFrames * frameBytes);
                int complete = got / frameBytes;
                if (frames + complete > mono.length) {
                    mono = Arrays.copyOf(mono, grow(mono.length, frames + complete, wanted));
                }
                decode(format, block, complete, mono, frames);
                frames += complete;
                if (got < blockFrames * frameBytes) {
                    LOG.warn(
                            "{}: data chunk claims {} frames but the file holds {}; using those",
                            source,
                            claimedFrames,
                            frames);
                    break;
                }
            }
            if (frames == 0) {
                throw error(
                        "contains no samples (data chunk declares "
                                + size
                                + " bytes, "
                                + claimedFrames
                                + " frames)");
            }
            float[] samples = frames == mono.length ? mono : Arrays.copyOf(mono, frames);
            return new Waveform(samples, format.sampleRate());
        }

        /** The next buffer size: doubled, at least {@code needed}, at most {@code wanted}. */
        private int grow(int current, int needed, long wanted) throws AudioDecodeException {
            long size = Math.min(Math.max(2L * current, needed), wanted);
            if (size > MAX_SAMPLES) {
                throw error(
                        "more than "
                                + MAX_SAMPLES
                                + " sample frames to read; lower maxSeconds (a Java array"
                                + " cannot hold them)");
            }
            return (int) size;
        }

        /** Decodes {@code count} interleaved frames into mono samples starting at {@code at}. */
        private void decode(Format format, byte[] bytes, int count, float[] mono, int at)
                throws AudioDecodeException {
            int channels = format.channels();
            int width = format.bytesPerSample();
            float scale = 1f / channels;
            int p = 0;
            for (int f = 0; f < count; f++) {
                float sum = 0;
                for (int c = 0; c < channels; c++, p += width) {
                    float v = sample(format, bytes, p);
                    if (!Float.isFinite(v)) {
                        throw error(
                                "sample "
                                        + (at + f)
                                        + " (channel "
                                        + c
                                        + ") is "
                                        + v
                                        + "; float WAVs must hold finite values");
                    }
                    sum += v;
                }
                mono[at + f] = sum * scale;
            }
        }

        private static float sample(Format format, byte[] b, int p) {
            if (format.encoding() == FORMAT_FLOAT) {
                if (format.bitsPerSample() == 32) {
                    return Float.intBitsToFloat((int) readUInt32(b, p));
                }
                long bits = readUInt32(b, p) | (readUInt32(b, p + 4) << 32);
                return (float) Double.longBitsToDouble(bits);
            }
            switch (format.bitsPerSample()) {
                case 8:
                    return ((b[p] & 0xFF) - 128) / 128f;
                case 16:
                    return (short) readUInt16(b, p) / 32768f;
                case 24:
                    int v = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | b[p + 2] << 16;
                    return v / 8388608f;
                default:
                    return (int) readUInt32(b, p) / 2147483648f;
            }
        }

        private int readUpTo(byte[] buf, int off, int len) throws IOException {
            int total = in.readNBytes(buf, off, len);
            position += total;
            return total;
        }

        private void skip(long n, String what) throws IOException {
            try {
                in.skipNBytes(n);
                position += n;
            } catch (EOFException e) {
                throw error("no data chunk found (file ends inside " + what + ")");
            }
        }

        private AudioDecodeException error(String reason) {
            return new AudioDecodeException(source, reason + " [at byte " + position + "]");
        }

        private static int readUInt16(byte[] b, int p) {
            return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
        }

        private static long readUInt32(byte[] b, int p) {
            return (b[p] & 0xFFL)
                    | (b[p + 1] & 0xFFL) << 8
                    | (b[p + 2] & 0xFFL) << 16
                    | (b[p + 3] & 0xFFL) << 24;
        }

        /**
         * The first {@code n} bytes as a reader would recognise them: the leading printable ASCII
         * run ({@code ID3} for an MP3), or all bytes as {@code \xNN} when none is printable.
         */
        private static String printable(byte[] b, int n) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n && b[i] >= 0x20 && b[i] < 0x7F; i++) {
                s.append((char) b[i]);
            }
            if (s.length() == 0) {
                for (int i = 0; i < n; i++) {
                    s.append(String.format("\\x%02X", b[i] & 0xFF));
                }
            }
            return s.toString();
        }
    }
}
