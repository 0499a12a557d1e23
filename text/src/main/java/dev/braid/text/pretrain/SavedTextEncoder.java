package dev.braid.text.pretrain;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.braid.files.AtomicFile;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.text.encoder.TransformerTextEncoder;
import dev.braid.text.tokenize.Tokenizer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A text encoder on disk, as pre-training leaves it for fine-tuning: a folder with {@code
 * text-encoder.json} (the configuration), {@code text-encoder.params} (the weights) and {@code
 * tokenizer.json}. Each file is written to a temporary name and renamed, so an interrupted save
 * never leaves a half-written file under the real name.
 *
 * @param encoder the encoder, with its parameters
 * @param tokenizer the tokenizer whose ids it reads
 */
public record SavedTextEncoder(TransformerTextEncoder encoder, Tokenizer tokenizer) {

    static final String CONFIG = "text-encoder.json";
    static final String PARAMETERS = "text-encoder.params";
    static final String TOKENIZER = "tokenizer.json";

    /** Writes the encoder and tokenizer into {@code dir}, creating it if needed. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(
                dir.resolve(CONFIG),
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(encoder.config()));
        AtomicFile.write(
                dir.resolve(PARAMETERS), out -> encoder.saveParameters(new DataOutputStream(out)));
        tokenizer.save(dir.resolve(TOKENIZER));
    }

    /**
     * Reads an encoder saved by {@link #save(Path)}, with its parameters in {@code manager}.
     *
     * @throws IOException if a file is missing or does not match the configuration; the message
     *     names the file
     */
    public static SavedTextEncoder load(Path dir, NDManager manager) throws IOException {
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(configFile + " is missing: is " + dir + " a saved text encoder?");
        }
        TextEncoderConfig config;
        try {
            config = new ObjectMapper().readValue(configFile.toFile(), TextEncoderConfig.class);
        } catch (IOException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }
        Tokenizer tokenizer = Tokenizer.load(dir.resolve(TOKENIZER));
        if (tokenizer.vocabularySize() != config.vocabularySize()) {
            throw new IOException(
                    dir.resolve(TOKENIZER)
                            + " has "
                            + tokenizer.vocabularySize()
                            + " tokens but the encoder expects "
                            + config.vocabularySize());
        }
        TransformerTextEncoder encoder = new TransformerTextEncoder(config);
        Shape shape = new Shape(1, config.maxLength());
        encoder.initialize(manager, DataType.FLOAT32, shape, shape);
        Path parameters = dir.resolve(PARAMETERS);
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            encoder.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(
                    parameters + " does not match " + configFile + ": " + e.getMessage(), e);
        }
        return new SavedTextEncoder(encoder, tokenizer);
    }
}
