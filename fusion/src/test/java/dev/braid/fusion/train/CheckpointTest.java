package dev.braid.fusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir Path runDirectory;

    /** A tiny model with its parameters and an optimiser that has taken a step. */
    private static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final SequentialBlock model =
                new SequentialBlock().add(Linear.builder().setUnits(2).build());
        final List<Parameter> parameters;
        AdamW optimizer;

        Run(int seed) {
            Engine.getInstance().setRandomSeed(seed);
            model.initialize(manager, DataType.FLOAT32, new Shape(3, 2));
            parameters = TrainableParameters.of(model).all();
            optimizer = new AdamW(AdamWConfig.defaults(), manager, parameters);
        }

        void step() {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray x = scratch.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDList out =
                            model.forward(new ParameterStore(scratch, false), new NDList(x), true);
                    collector.backward(out.singletonOrThrow().square().mean());
                }
                optimizer.step(parameters, 0.01f);
                Gradients.zero(parameters);
            }
        }

        float[] weights() {
            return parameters.get(0).getArray().toFloatArray();
        }

        byte[] optimizerBytes() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            optimizer.save(new DataOutputStream(bytes));
            return bytes.toByteArray();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    private static TrainingState state(int step) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("peakLearningRate", 1e-3);
        config.putObject("model").put("width", 32);
        return new TrainingState(step, 1, 7, 42L, Double.NEGATIVE_INFINITY, 2, config);
    }

    @Test
    void roundTripRestoresWeightsOptimizerAndState() throws IOException {
        Path directory = runDirectory.resolve("checkpoint");
        try (Run saved = new Run(1);
                Run restored = new Run(2)) {
            saved.step();
            saved.step();
            Checkpoint.write(directory, saved.model, saved.optimizer, state(2));
            assertFalse(
                    java.util.Arrays.equals(saved.weights(), restored.weights()),
                    "the two runs must start different");

            Checkpoint.Restored result =
                    Checkpoint.read(
                            directory, restored.model, restored.manager, restored.parameters);
            assertEquals(state(2), result.state());
            assertEquals(directory.toAbsolutePath(), result.directory());
            assertArrayEquals(saved.weights(), restored.weights(), 0f);
            restored.optimizer = result.optimizer();
            assertArrayEquals(saved.optimizerBytes(), restored.optimizerBytes());
            // and they go on identically
            saved.step();
            restored.step();
            assertArrayEquals(saved.weights(), restored.weights(), 0f);
        }
    }

    @Test
    void aNewCheckpointReplacesTheOldWhichStaysAsFallback() throws IOException {
        Path directory = runDirectory.resolve("checkpoint");
        try (Run run = new Run(1)) {
            Checkpoint.write(directory, run.model, run.optimizer, state(1));
            run.step();
            Checkpoint.write(directory, run.model, run.optimizer, state(2));
            assertEquals(2, readState(directory).step());
            assertTrue(Files.isDirectory(runDirectory.resolve("checkpoint.old")));

            // a kill between the two renames: checkpoint/ gone, checkpoint.old/ complete
            deleteTree(directory);
            assertTrue(Checkpoint.exists(directory));
            assertEquals(1, readState(directory).step());
        }
    }

    @Test
    void aHalfWrittenTemporaryDirectoryIsIgnoredAndCleanedUp() throws IOException {
        Path directory = runDirectory.resolve("checkpoint");
        try (Run run = new Run(1)) {
            Checkpoint.write(directory, run.model, run.optimizer, state(1));
            // a kill while writing the next one: a temporary directory with some files, no marker
            Path partial = runDirectory.resolve("checkpoint.tmp-123");
            Files.createDirectory(partial);
            Files.write(partial.resolve(Checkpoint.MODEL_FILE), new byte[] {1, 2, 3});
            assertEquals(1, readState(directory).step());

            Checkpoint.write(directory, run.model, run.optimizer, state(2));
            assertFalse(Files.exists(partial), "the next write removes leftovers");
            assertEquals(2, readState(directory).step());
        }
    }

    @Test
    void anIncompleteCheckpointFallsBackToTheOldOne() throws IOException {
        Path directory = runDirectory.resolve("checkpoint");
        try (Run run = new Run(1)) {
            Checkpoint.write(directory, run.model, run.optimizer, state(1));
            Checkpoint.write(directory, run.model, run.optimizer, state(2));
            Files.delete(directory.resolve(Checkpoint.COMPLETE_FILE));
            Checkpoint.Restored restored =
                    Checkpoint.read(directory, run.model, run.manager, run.parameters);
            assertEquals(1, restored.state().step());
            assertEquals(
                    runDirectory.resolve("checkpoint.old").toAbsolutePath(), restored.directory());
        }
    }

    @Test
    void aCorruptFileIsNamed() throws IOException {
        Path directory = runDirectory.resolve("checkpoint");
        try (Run run = new Run(1)) {
            run.step();
            Checkpoint.write(directory, run.model, run.optimizer, state(1));
            Path optimizerFile = directory.resolve(Checkpoint.OPTIMIZER_FILE);
            byte[] bytes = Files.readAllBytes(optimizerFile);
            bytes[bytes.length - 5] ^= 0x40;
            Files.write(optimizerFile, bytes);
            IOException e = assertThrows(IOException.class, () -> readState(directory));
            assertTrue(e.getMessage().contains(Checkpoint.OPTIMIZER_FILE), e.getMessage());
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        Path directory = runDirectory.resolve("checkpoint");
        try (Run run = new Run(1)) {
            Checkpoint.write(directory, run.model, run.optimizer, state(1));
            Files.delete(directory.resolve(Checkpoint.STATE_FILE));
            IOException e = assertThrows(IOException.class, () -> readState(directory));
            assertTrue(e.getMessage().contains(Checkpoint.STATE_FILE), e.getMessage());
        }
    }

    @Test
    void noCheckpointAtAllIsNamed() {
        Path directory = runDirectory.resolve("nothing-here");
        assertFalse(Checkpoint.exists(directory));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> readState(directory));
        assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
    }

    @Test
    void stateIsValidated() {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TrainingState(-1, 0, 0, 1, 0, 0, config));
        assertTrue(e.getMessage().contains("step (-1)"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new TrainingState(0, 0, 0, 1, 0, 0, null));
    }

    private static TrainingState readState(Path directory) throws IOException {
        try (Run reader = new Run(9)) {
            return Checkpoint.read(directory, reader.model, reader.manager, reader.parameters)
                    .state();
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
