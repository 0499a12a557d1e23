package dev.braid.audio.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.braid.audio.features.Features;
import dev.braid.audio.signal.AudioLoadConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigAndBatchTest {

    @Test
    void batchCropsPadsAndReportsRealLengths() {
        Features a = new Features(new float[][] {{1, 2, 3}, {4, 5, 6}}, 3);
        Features b = new Features(new float[][] {{7, 8, 9, 10, 11, 12}, {1, 1, 1, 1, 1, 1}}, 6);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList batch = SpectrogramBatch.of(manager, List.of(a, b), 4);

            assertEquals(new Shape(2, 2, 4), batch.get(0).getShape());
            assertArrayEquals(
                    new float[] {1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 10, 1, 1, 1, 1},
                    batch.get(0).toFloatArray());
            assertArrayEquals(new int[] {3, 4}, batch.get(1).toIntArray());
        }
    }

    @Test
    void presetsAreValidAndDerivedSizesFollow() {
        assertEquals(16, AudioEncoderConfig.small().reducedMels());
        assertEquals(4, AudioEncoderConfig.tiny().reducedMels());
        assertEquals(3, AudioEncoderConfig.tiny().withMels(10).reducedMels());
    }

    @Test
    void loadConfigRejectsNonsense() {
        IllegalArgumentException rate =
                assertThrows(IllegalArgumentException.class, () -> new AudioLoadConfig(0, 30));
        assertTrue(rate.getMessage().contains("targetSampleRate (0)"), rate.getMessage());
        IllegalArgumentException seconds =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AudioLoadConfig.defaults().withMaxSeconds(Double.NaN));
        assertTrue(seconds.getMessage().contains("maxSeconds (NaN)"), seconds.getMessage());
    }
}
