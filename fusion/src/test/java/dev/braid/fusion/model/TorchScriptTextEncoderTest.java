package dev.braid.fusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TorchScript text encoder on {@code tiny-encoder.pt}, made by {@code make_tiny_encoder.py}
 * beside it, which also wrote what torch computes for two inputs ({@code expected.json}).
 */
class TorchScriptTextEncoderTest {

    static final Path DIR = resource("torchscript");
    static final Path MODULE = DIR.resolve("tiny-encoder.pt");

    static Path resource(String name) {
        try {
            return Path.of(TorchScriptTextEncoderTest.class.getResource("/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static TorchScriptTextEncoder encoder(NDManager manager) throws IOException {
        TorchScriptTextEncoder encoder =
                new TorchScriptTextEncoder(ModelConfig.TorchScriptText.of(MODULE, 4));
        encoder.initialize(manager, DataType.FLOAT32, new Shape(2, 6), new Shape(2, 6));
        return encoder;
    }

    static NDList inputs(NDManager manager, long[][] ids, boolean[][] mask) {
        return new NDList(manager.create(ids), manager.create(mask));
    }

    static long[][] ids(JsonNode expected) {
        long[][] ids = new long[2][6];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 6; t++) {
                ids[b][t] = expected.path("ids").get(b).get(t).asLong();
            }
        }
        return ids;
    }

    static boolean[][] mask(long[][] ids) {
        boolean[][] mask = new boolean[ids.length][ids[0].length];
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                mask[b][t] = ids[b][t] != 0;
            }
        }
        return mask;
    }

    @Test
    void theModuleComputesWhatTorchComputed() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchScriptTextEncoder encoder = encoder(manager);
            long[][] ids = ids(expected);
            NDArray tokens =
                    encoder.module()
                            .forward(
                                    new ParameterStore(manager, false),
                                    inputs(manager, ids, mask(ids)),
                                    false)
                            .get(0);
            assertEquals(new Shape(2, 6, 8), tokens.getShape());
            float[] got = tokens.toFloatArray();
            int i = 0;
            for (JsonNode sample : expected.path("tokens")) {
                for (JsonNode token : sample) {
                    for (JsonNode v : token) {
                        assertEquals(v.asDouble(), got[i++], 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void givesTokensOfTheWidthAndTheMaskAsTheShapesSay() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchScriptTextEncoder encoder = encoder(manager);
            long[][] ids = {{2, 5, 6, 3}, {2, 9, 3, 0}};
            NDList out =
                    encoder.forward(
                            new ParameterStore(manager, false),
                            inputs(manager, ids, mask(ids)),
                            false);
            assertEquals(new Shape(2, 4, 4), out.get(0).getShape());
            assertArrayEquals(
                    encoder.getOutputShapes(new Shape[] {new Shape(2, 4), new Shape(2, 4)}),
                    new Shape[] {out.get(0).getShape(), out.get(1).getShape()});
            assertArrayEquals(
                    new boolean[] {true, true, true, true, true, true, true, false},
                    out.get(1).toBooleanArray());
        }
    }

    @Test
    void whatIsInPaddedPositionsChangesNothingAtRealOnes() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchScriptTextEncoder encoder = encoder(manager);
            long[][] ids = {{2, 9, 10, 3, 0, 0}};
            long[][] other = {{2, 9, 10, 3, 12, 13}};
            boolean[][] mask = mask(ids);
            float[] a = real(encoder, manager, ids, mask);
            float[] b = real(encoder, manager, other, mask);
            assertArrayEquals(a, b, 0f);
        }
    }

    private static float[] real(
            TorchScriptTextEncoder encoder, NDManager manager, long[][] ids, boolean[][] mask) {
        NDArray tokens =
                encoder.forward(
                                new ParameterStore(manager, false),
                                inputs(manager, ids, mask),
                                false)
                        .get(0);
        return tokens.get("0, 0:4, :").toFloatArray(); // the four real positions
    }

    @Test
    void savedWeightsLoadBackIntoTheModule() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchScriptTextEncoder encoder = encoder(manager);
            long[][] ids = {{2, 5, 6, 3}};
            float[] before = real(encoder, manager, ids, mask(ids));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            encoder.saveParameters(new DataOutputStream(bytes));
            NDArray weight = encoder.module().getParameters().get(0).getValue().getArray();
            weight.setRequiresGradient(false);
            weight.set(manager.zeros(weight.getShape()).toByteBuffer());
            assertFalse(java.util.Arrays.equals(before, real(encoder, manager, ids, mask(ids))));
            encoder.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(before, real(encoder, manager, ids, mask(ids)), 0f);
        }
    }

    @Test
    void aMissingOrChangedFileIsNamed(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("gone.pt");
        IOException e =
                assertThrows(IOException.class, () -> ModelConfig.TorchScriptText.of(missing, 4));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        Path copy = dir.resolve("copy.pt");
        Files.copy(MODULE, copy);
        ModelConfig.TorchScriptText recorded = ModelConfig.TorchScriptText.of(copy, 4);
        Files.write(copy, "not a module".getBytes());
        UncheckedIOException changed =
                assertThrows(
                        UncheckedIOException.class, () -> new TorchScriptTextEncoder(recorded));
        assertTrue(changed.getMessage().contains(copy.toString()), changed.getMessage());
        assertTrue(changed.getMessage().contains("SHA-256"), changed.getMessage());
        IOException corrupt =
                assertThrows(IOException.class, () -> ModelConfig.TorchScriptText.of(copy, 4));
        assertTrue(corrupt.getMessage().contains(copy.toString()), corrupt.getMessage());
    }
}
