package dev.braid.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test signals and a small WAV writer, written independently of the code under test. */
public final class TestAudio {

    public static final int PCM = 1;
    public static final int FLOAT = 3;

    private TestAudio() {}

    /** {@code amplitude × sin(2π f n / rate)} for {@code n = 0 … length-1}. */
    public static float[] sine(double hz, int rate, int length, double amplitude) {
        float[] x = new float[length];
        for (int n = 0; n < length; n++) {
            x[n] = (float) (amplitude * Math.sin(2 * Math.PI * hz * n / rate));
        }
        return x;
    }

    /**
     * Encodes interleaved-by-channel samples as a WAV file.
     *
     * @param format {@link #PCM} or {@link #FLOAT}
     * @param bits bits per sample
     * @param rate sample rate
     * @param channels {@code [C][N]} samples in [-1, 1]
     * @param extensible write a WAVE_FORMAT_EXTENSIBLE fmt chunk
     * @param extraChunk write a LIST chunk (odd length, padded) before the data chunk
     */
    public static byte[] wav(
            int format,
            int bits,
            int rate,
            double[][] channels,
            boolean extensible,
            boolean extraChunk) {
        int c = channels.length;
        int n = channels[0].length;
        int width = bits / 8;
        ByteBuffer data = ByteBuffer.allocate(n * c * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            for (double[] channel : channels) {
                double v = channel[i];
                if (format == FLOAT && bits == 32) {
                    data.putFloat((float) v);
                } else if (format == FLOAT) {
                    data.putDouble(v);
                } else if (bits == 8) {
                    data.put((byte) (Math.round(v * 127) + 128));
                } else if (bits == 16) {
                    data.putShort((short) Math.round(v * 32767));
                } else if (bits == 24) {
                    int s = (int) Math.round(v * 8388607);
                    data.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                } else {
                    data.putInt((int) Math.round(v * 2147483647.0));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer fmt = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) (extensible ? 0xFFFE : format))
                .putShort((short) c)
                .putInt(rate)
                .putInt(rate * c * width)
                .putShort((short) (c * width))
                .putShort((short) bits);
        if (extensible) {
            fmt.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) format);
            fmt.put(new byte[14]);
        }
        byte[] list = "INFOsoftx".getBytes(StandardCharsets.US_ASCII);
        int riffSize = 4 + 8 + fmt.capacity() + 8 + data.capacity();
        if (extraChunk) {
            riffSize += 8 + list.length + 1;
        }
        out.writeBytes(ascii("RIFF"));
        out.writeBytes(le32(riffSize));
        out.writeBytes(ascii("WAVE"));
        out.writeBytes(ascii("fmt "));
        out.writeBytes(le32(fmt.capacity()));
        out.writeBytes(fmt.array());
        if (extraChunk) {
            out.writeBytes(ascii("LIST"));
            out.writeBytes(le32(list.length));
            out.writeBytes(list);
            out.write(0);
        }
        out.writeBytes(ascii("data"));
        out.writeBytes(le32(data.capacity()));
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /** A mono 16-bit PCM WAV. */
    public static byte[] wav16(float[] samples, int rate) {
        double[] d = new double[samples.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = samples[i];
        }
        return wav(PCM, 16, rate, new double[][] {d}, false, false);
    }

    /** A 44-byte canonical header for mono PCM declaring {@code dataBytes} of data. */
    public static byte[] header(int rate, int bits, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt((int) (36 + dataBytes)).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) PCM).putShort((short) 1);
        b.putInt(rate).putInt(rate * bits / 8).putShort((short) (bits / 8)).putShort((short) bits);
        b.put(ascii("data")).putInt((int) dataBytes);
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
