package dev.braid.fusion.compress;

import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.vision.encoder.ImageEncoderConfig;

/**
 * The shape of a narrower student for distillation: every width of the teacher (the text encoder's
 * width and feed-forward width, the image encoder's channels and token width, the audio encoder's
 * channels and token width, the fusion width and its feed-forward width) times a factor, with the
 * same layers, heads, modalities and task heads. Plug-in encoders keep their width (the fusion
 * projects every modality to its own width).
 */
public final class StudentConfig {

    private StudentConfig() {}

    /**
     * The teacher's shape with every width times {@code factor}.
     *
     * @throws IllegalArgumentException if {@code factor} is not in (0, 1], or a narrowed width is
     *     no longer divisible by its attention heads
     */
    public static ModelConfig narrower(ModelConfig teacher, double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(
                    "student width factor (" + factor + ") must be in (0, 1]");
        }
        TextEncoderConfig text = teacher.text();
        if (text != null) {
            text =
                    text.toBuilder()
                            .width(scaled(text.width(), factor))
                            .feedForwardWidth(scaled(text.feedForwardWidth(), factor))
                            .build();
        }
        ImageEncoderConfig image = teacher.image();
        if (image != null) {
            image =
                    new ImageEncoderConfig(
                            image.inputChannels(),
                            scaled(image.stemChannels(), factor),
                            image.stemStride(),
                            image.stageChannels().stream().map(c -> scaled(c, factor)).toList(),
                            image.stageBlocks(),
                            scaled(image.width(), factor),
                            image.nonlinearity(),
                            image.stageBlock());
        }
        AudioEncoderConfig audio = teacher.audio();
        if (audio != null) {
            audio =
                    new AudioEncoderConfig(
                            audio.mels(),
                            scaled(audio.channels(), factor),
                            audio.convLayers(),
                            scaled(audio.width(), factor),
                            audio.temporalBlocks(),
                            audio.temporalKernel(),
                            audio.frontEnd());
        }
        FusionConfig fusion = teacher.fusion();
        int hidden = fusion.feedForwardWidth() == 0 ? 0 : scaled(fusion.feedForwardWidth(), factor);
        fusion = fusion.withWidths(scaled(fusion.width(), factor), hidden);
        return new ModelConfig(text, image, audio, fusion, teacher.heads(), teacher.plugins());
    }

    private static int scaled(int width, double factor) {
        return Math.max(1, (int) Math.round(width * factor));
    }
}
