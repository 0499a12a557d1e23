package dev.braid.audio.pretrain;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.audio.encoder.SpectrogramEncoder;
import dev.braid.audio.features.LogMelConfig;
import dev.braid.files.AtomicFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A spectrogram encoder on disk, as pre-training leaves it for fine-tuning: a folder with {@code
 * audio-encoder.json} (the encoder's configuration and the log-mel features it learnt from) and
 * {@code audio-encoder.params} (the weights). The features are kept because an encoder only helps
 * on the features it was trained on: a run that computes other ones must be refused, not fed.
 *
 * @param encoder the encoder, with its parameters
 * @param logMel the log-mel settings of its training inputs
 * @param maxFrames the frame count its training clips were cropped to
 */
public record SavedAudioEncoder(SpectrogramEncoder encoder, LogMelConfig logMel, int maxFrames) {

    static final String DESCRIPTION = "audio-encoder.json";
    static final String PARAMETERS = "audio-encoder.params";

    /** What {@code audio-encoder.json} holds. */
    record Description(AudioEncoderConfig encoder, LogMelConfig logMel, int maxFrames) {}

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes the encoder into {@code dir}, creating it if needed; each file replaced in one step.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(
                dir.resolve(DESCRIPTION),
                JSON.writeValueAsBytes(new Description(encoder.config(), logMel, maxFrames)));
        AtomicFile.write(
                dir.resolve(PARAMETERS), out -> encoder.saveParameters(new DataOutputStream(out)));
    }

    /**
     * Reads an encoder saved by {@link #save(Path)}, with its parameters in {@code manager}.
     *
     * @throws IOException if a file is missing, unreadable or does not match the configuration; the
     *     message names the file
     */
    public static SavedAudioEncoder load(Path dir, NDManager manager) throws IOException {
        Path descriptionFile = dir.resolve(DESCRIPTION);
        if (!Files.isRegularFile(descriptionFile)) {
            throw new IOException(
                    descriptionFile
                            + " is missing: is "
                            + dir
                            + " a saved audio encoder (braid pretrain-audio)?");
        }
        Description description;
        try {
            description = JSON.readValue(descriptionFile.toFile(), Description.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(descriptionFile + ": " + e.getMessage(), e);
        }
        if (description.encoder() == null || description.logMel() == null) {
            throw new IOException(descriptionFile + " has no 'encoder' or no 'logMel'");
        }
        SpectrogramEncoder encoder = new SpectrogramEncoder(description.encoder());
        encoder.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, description.encoder().mels(), description.maxFrames()),
                new Shape(1));
        Path parameters = dir.resolve(PARAMETERS);
        if (!Files.isRegularFile(parameters)) {
            throw new IOException(parameters + " is missing");
        }
        Map<String, Shape> expected = new LinkedHashMap<>();
        encoder.getParameters()
                .forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            encoder.loadParameters(manager, in);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            // DJL reports a truncated or foreign file as any of these
            throw new IOException(
                    parameters + " does not match " + descriptionFile + ": " + e.getMessage(), e);
        }
        // DJL takes an array of any shape without a word; the next forward pass would fail
        for (var p : encoder.getParameters()) {
            Shape found = p.getValue().getArray().getShape();
            if (!found.equals(expected.get(p.getKey()))) {
                throw new IOException(
                        parameters
                                + " does not match "
                                + descriptionFile
                                + ": parameter "
                                + p.getKey()
                                + " is "
                                + found
                                + ", the configuration makes it "
                                + expected.get(p.getKey()));
            }
        }
        return new SavedAudioEncoder(encoder, description.logMel(), description.maxFrames());
    }
}
