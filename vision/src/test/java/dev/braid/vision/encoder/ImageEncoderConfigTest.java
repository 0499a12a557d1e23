package dev.braid.vision.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageEncoderConfigTest {

    private static String error(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void messagesNameTheFieldAndTheValue() {
        ImageEncoderConfig tiny = ImageEncoderConfig.tiny();
        assertEquals("inputChannels (2) must be 1 or 3", error(() -> tiny.withInputChannels(2)));
        assertEquals(
                "width (30) must be a positive multiple of 4 (the 2D sine-cosine position code"
                        + " splits it into row and column sine-cosine pairs)",
                error(() -> tiny.withWidth(30)));
        assertEquals(
                "stageBlocks [1] must have one entry per stage of stageChannels [8, 16]",
                error(
                        () ->
                                new ImageEncoderConfig(
                                        1,
                                        8,
                                        1,
                                        List.of(8, 16),
                                        List.of(1),
                                        16,
                                        Nonlinearity.RELU)));
        assertEquals(
                "stemStride (3) must be 1 or 2",
                error(
                        () ->
                                new ImageEncoderConfig(
                                        1, 8, 3, List.of(8), List.of(1), 16, Nonlinearity.RELU)));
        assertEquals(
                "stageChannels [8, 0] must all be positive",
                error(
                        () ->
                                new ImageEncoderConfig(
                                        1,
                                        8,
                                        1,
                                        List.of(8, 0),
                                        List.of(1, 1),
                                        16,
                                        Nonlinearity.RELU)));
    }

    @Test
    void presetsDownsampleAsDocumented() {
        assertEquals(2, ImageEncoderConfig.tiny().downsampling());
        assertEquals(16, ImageEncoderConfig.small().downsampling()); // 224 px -> 14 x 14 tokens
        assertEquals(16, ImageEncoderConfig.base().downsampling());
        assertEquals( // plain stacks halve at every stage: the peer's three strided convolutions
                8,
                new ImageEncoderConfig(
                                3,
                                32,
                                2,
                                List.of(64, 64),
                                List.of(1, 1),
                                64,
                                Nonlinearity.RELU,
                                StageBlock.PLAIN)
                        .downsampling());
    }
}
