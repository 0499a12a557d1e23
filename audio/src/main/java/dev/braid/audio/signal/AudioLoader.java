package dev.braid.audio.signal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Decodes WAV audio to mono at the configured sample rate, reading at most {@code maxSeconds}.
 * Thread-safe.
 *
 * <pre>{@code
 * AudioLoader loader = new AudioLoader(AudioLoadConfig.defaults());
 * Waveform clip = loader.load(Path.of("audio/x.wav")); // mono, 16 kHz, <= 30 s
 * }</pre>
 *
 * See {@link WavReader} for the formats read and what each kind of bad input gives.
 */
public final class AudioLoader {

    private final AudioLoadConfig config;

    /**
     * Creates a loader.
     *
     * @param config target sample rate and duration cap
     */
    public AudioLoader(AudioLoadConfig config) {
        this.config = config;
    }

    /** Returns the configuration. */
    public AudioLoadConfig config() {
        return config;
    }

    /**
     * Loads a WAV file.
     *
     * @param path the file
     * @return mono samples at the target rate
     * @throws AudioDecodeException if the file is not a readable WAV; the message names the path
     * @throws IOException if the file cannot be read
     */
    public Waveform load(Path path) throws IOException {
        return resample(WavReader.read(path, config.maxSeconds()));
    }

    /**
     * Loads WAV bytes.
     *
     * @param bytes the whole file
     * @param name a name for the audio used in error messages
     * @return mono samples at the target rate
     * @throws AudioDecodeException if the bytes are not a readable WAV; the message names {@code
     *     name}
     */
    public Waveform load(byte[] bytes, String name) throws AudioDecodeException {
        try {
            return load(new ByteArrayInputStream(bytes), name);
        } catch (AudioDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new AudioDecodeException(name, "cannot read bytes: " + e.getMessage(), e);
        }
    }

    /**
     * Loads WAV bytes from a stream, which is not closed.
     *
     * @param in the bytes, positioned at the RIFF header
     * @param name a name for the audio used in error messages
     * @return mono samples at the target rate
     * @throws AudioDecodeException if the bytes are not a readable WAV
     * @throws IOException if the stream fails
     */
    public Waveform load(InputStream in, String name) throws IOException {
        return resample(WavReader.read(in, name, config.maxSeconds()));
    }

    private Waveform resample(Waveform waveform) {
        return SampleRateConverter.convert(waveform, config.targetSampleRate());
    }
}
