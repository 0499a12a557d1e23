package dev.braid.audio.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.audio.encoder.SpectrogramEncoder;
import dev.braid.audio.features.LogMelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedAudioEncoderTest {

    private static final AudioEncoderConfig CONFIG = AudioEncoderConfig.tiny();
    private static final LogMelConfig LOG_MEL = LogMelConfig.builder().nMels(16).build();

    private static float[] encode(SpectrogramEncoder encoder, NDManager manager) {
        float[] values = new float[2 * 16 * 20];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(0.37 * i);
        }
        NDList inputs =
                new NDList(
                        manager.create(values, new Shape(2, 16, 20)),
                        manager.create(new int[] {20, 11}));
        NDArray tokens = encoder.forward(new ParameterStore(manager, false), inputs, false).get(0);
        return tokens.toFloatArray();
    }

    private static Path saved(Path dir, NDManager manager, float[][] output) throws IOException {
        Engine.getInstance().setRandomSeed(7);
        SpectrogramEncoder encoder = new SpectrogramEncoder(CONFIG);
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 16, 20), new Shape(1));
        output[0] = encode(encoder, manager);
        new SavedAudioEncoder(encoder, LOG_MEL, 20).save(dir);
        return dir;
    }

    @Test
    void aLoadedEncoderEncodesAsTheSavedOneDid(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] before = new float[1][];
            saved(dir, manager, before);
            SavedAudioEncoder loaded = SavedAudioEncoder.load(dir, manager);
            assertEquals(CONFIG, loaded.encoder().config());
            assertEquals(LOG_MEL, loaded.logMel());
            assertEquals(20, loaded.maxFrames());
            assertArrayEquals(before[0], encode(loaded.encoder(), manager), 0f);
        }
    }

    @Test
    void aMissingDescriptionNamesTheFile(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            IOException e =
                    assertThrows(IOException.class, () -> SavedAudioEncoder.load(dir, manager));
            assertTrue(
                    e.getMessage().contains(dir.resolve("audio-encoder.json").toString()),
                    e.getMessage());
        }
    }

    @Test
    void truncatedOrMissingWeightsNameTheFile(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            saved(dir, manager, new float[1][]);
            Path params = dir.resolve("audio-encoder.params");
            byte[] bytes = Files.readAllBytes(params);
            Files.write(params, Arrays.copyOf(bytes, bytes.length - 100));
            IOException truncated =
                    assertThrows(IOException.class, () -> SavedAudioEncoder.load(dir, manager));
            assertTrue(truncated.getMessage().contains(params.toString()), truncated.getMessage());
            Files.delete(params);
            IOException missing =
                    assertThrows(IOException.class, () -> SavedAudioEncoder.load(dir, manager));
            assertTrue(missing.getMessage().contains(params.toString()), missing.getMessage());
        }
    }

    @Test
    void weightsOfAnotherShapeNameTheFile(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            saved(dir, manager, new float[1][]);
            // the description now claims a wider encoder than the weights are
            Path json = dir.resolve("audio-encoder.json");
            Files.writeString(
                    json, Files.readString(json).replace("\"width\" : 32", "\"width\" : 48"));
            IOException e =
                    assertThrows(IOException.class, () -> SavedAudioEncoder.load(dir, manager));
            assertTrue(
                    e.getMessage().contains(dir.resolve("audio-encoder.params").toString()),
                    e.getMessage());
        }
    }
}
