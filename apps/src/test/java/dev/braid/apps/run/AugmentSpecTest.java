package dev.braid.apps.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.audio.augment.AdditiveNoise;
import dev.braid.audio.augment.RandomGain;
import dev.braid.audio.augment.TimeShift;
import dev.braid.vision.image.Augmentation;
import dev.braid.vision.image.ImageAugmentation;
import java.util.List;
import org.junit.jupiter.api.Test;

class AugmentSpecTest {

    @Test
    void byDefaultNothingIsAugmented() {
        RunConfig.AugmentSpec none = RunConfig.defaults().augment();
        assertEquals(ImageAugmentation.none(), none.image());
        assertTrue(none.audio().isEmpty());
    }

    @Test
    void eachFieldTurnsOnItsStep() throws Exception {
        RunConfig config =
                RunConfig.parse(
                        "augment: {imageRotationDegrees: 15, imageNoise: 0.05, audioGainDb: 6,"
                                + " audioShiftSeconds: 0.2, audioNoiseSnrDb: 10}",
                        List.of("augment.imageColorJitter=0.2"),
                        "test.yaml");
        assertEquals(
                List.of(
                        new Augmentation.Rotation(15),
                        new Augmentation.ColorJitter(0.2, 0.2),
                        new Augmentation.GaussianNoise(0.05)),
                config.augment().image().steps());
        assertEquals(
                List.of(new RandomGain(-6, 6), new TimeShift(0.2), new AdditiveNoise(10, 30)),
                config.augment().audio());
    }

    @Test
    void anUnknownOrInvalidStepIsRefusedByName() {
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RunConfig.parse("augment: {audioGain: 6}", List.of(), "a.yaml"));
        assertTrue(unknown.getMessage().contains("augment.audioGain"), unknown.getMessage());
        IllegalArgumentException invalid =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RunConfig.parse("augment: {imageNoise: 2}", List.of(), "a.yaml"));
        assertTrue(
                invalid.getMessage().startsWith("a.yaml: ")
                        && invalid.getMessage().contains("augment.imageNoise (2.0)")
                        && invalid.getMessage().contains("std (2.0)"),
                invalid.getMessage());
    }
}
