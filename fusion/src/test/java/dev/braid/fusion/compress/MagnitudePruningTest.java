package dev.braid.fusion.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.testing.TinyRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MagnitudePruningTest {

    @TempDir static Path dir;
    static TinyRun run;

    @BeforeAll
    static void data() throws IOException {
        run = TinyRun.create(dir, 8, 4, 4);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 0.9})
    void zeroesExactlyThatShareOfEveryWeightTensorTheSmallestFirst(double sparsity) {
        try (NDManager m = NDManager.newBaseManager()) {
            FusionModel model = TinyRun.model(run.modelConfig(FusionKind.GATED), m, 5);
            java.util.Map<String, float[]> before = new java.util.HashMap<>();
            model.getParameters()
                    .forEach(p -> before.put(p.getKey(), p.getValue().getArray().toFloatArray()));
            long pruned = new MagnitudePruning(sparsity).apply(model);
            long expectedTotal = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                float[] w = p.getValue().getArray().toFloatArray();
                long zeros = 0;
                float smallestKept = Float.POSITIVE_INFINITY;
                for (float v : w) {
                    if (v == 0) {
                        zeros++;
                    } else {
                        smallestKept = Math.min(smallestKept, Math.abs(v));
                    }
                }
                if (Int8Weights.isWeightMatrix(p.getValue())) {
                    long expected = Math.round(sparsity * w.length);
                    assertEquals(expected, zeros, p.getKey() + " of " + w.length);
                    expectedTotal += expected;
                    float[] old = before.get(p.getKey());
                    for (int i = 0; i < w.length; i++) {
                        if (w[i] == 0) { // a pruned weight was no larger than any kept one
                            assertTrue(Math.abs(old[i]) <= smallestKept, p.getKey() + " " + i);
                        }
                    }
                } else {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            before.get(p.getKey()), w, p.getKey() + " is not a weight matrix");
                }
            }
            assertEquals(expectedTotal, pruned);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -0.2, 1.5, Double.NaN})
    void refusesASparsityOutsideZeroToOne(double sparsity) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new MagnitudePruning(sparsity));
        assertEquals("sparsity (" + sparsity + ") must be in (0, 1)", e.getMessage());
    }
}
