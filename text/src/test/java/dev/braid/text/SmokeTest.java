package dev.braid.text;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void engineRuns() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.ones(new ai.djl.ndarray.types.Shape(2, 2));
            assertEquals(4f, a.sum().getFloat());
            System.out.println(m.getEngine().getEngineName() + " " + m.getEngine().getVersion());
        }
    }
}
