package dev.braid.fusion.compress;

import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHeadConfig;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.vision.encoder.ImageEncoderConfig;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The shape of a smaller student for distillation: {@link #narrower} multiplies every width of the
 * teacher (the text encoder's width and feed-forward width, the image encoder's channels and token
 * width, the audio encoder's channels and token width, the fusion width and its feed-forward width,
 * each generation head's decoder width and feed-forward width) by a factor, with the same layers,
 * heads, modalities and task heads; {@link #shallower} keeps a share of every stack of layers (the
 * text encoder's Transformer layers, the fusion's self-attention layers, the audio encoder's
 * temporal blocks, each generation head's decoder layers). Plug-in and pretrained encoders keep
 * their shape (the fusion projects every modality to its own width). A generation head keeps its
 * vocabulary and reply length, so that its per-token distributions can be matched to the teacher's.
 *
 * <p>At batch 1 a prediction's time is set by how many operations it runs more than by their sizes
 * (a few microseconds of dispatch for each of the 330 (digits) to 700 (tickets) operations of one
 * sample), so fewer layers shorten it where narrower ones barely do; see the README's Compression
 * section.
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
                            .attentionWidth(
                                    text.attentionWidth() == 0
                                            ? 0
                                            : text.heads()
                                                    * scaled(
                                                            text.attentionWidth() / text.heads(),
                                                            factor))
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
        int attention =
                fusion.attentionWidth() == 0
                        ? 0
                        : fusion.heads() * scaled(fusion.headWidth(), factor);
        fusion = fusion.withWidths(scaled(fusion.width(), factor), hidden, attention);
        return like(
                teacher,
                text,
                image,
                audio,
                fusion,
                replies(
                        teacher,
                        d ->
                                d.toBuilder()
                                        .width(scaled(d.width(), factor))
                                        .feedForwardWidth(scaled(d.feedForwardWidth(), factor))
                                        .build()));
    }

    /**
     * The teacher's shape with every stack of {@code n} layers cut to {@code floor(n × factor)}:
     * the text encoder's Transformer layers (at least 1), the fusion's self-attention layers after
     * its cross-attention (may become 0), the audio encoder's temporal blocks (may become 0). The
     * image encoder's stages, the audio front end's convolutions and the fusion's cross-attention
     * layers (one per pair of modalities) stay: they set the shapes the rest reads. {@link
     * TeacherInit} fills such a student from its teacher's layers.
     *
     * @throws IllegalArgumentException if {@code factor} is not in (0, 1]
     */
    public static ModelConfig shallower(ModelConfig teacher, double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(
                    "student depth factor (" + factor + ") must be in (0, 1]");
        }
        TextEncoderConfig text = teacher.text();
        if (text != null) {
            text = text.toBuilder().layers(Math.max(1, kept(text.layers(), factor))).build();
        }
        AudioEncoderConfig audio = teacher.audio();
        if (audio != null) {
            audio =
                    new AudioEncoderConfig(
                            audio.mels(),
                            audio.channels(),
                            audio.convLayers(),
                            audio.width(),
                            kept(audio.temporalBlocks(), factor),
                            audio.temporalKernel(),
                            audio.frontEnd());
        }
        FusionConfig fusion = teacher.fusion().withLayers(kept(teacher.fusion().layers(), factor));
        return like(
                teacher,
                text,
                teacher.image(),
                audio,
                fusion,
                replies(
                        teacher,
                        d -> d.toBuilder().layers(Math.max(1, kept(d.layers(), factor))).build()));
    }

    /** The teacher's configuration with these encoders, fusion and generation heads. */
    private static ModelConfig like(
            ModelConfig teacher,
            TextEncoderConfig text,
            ImageEncoderConfig image,
            AudioEncoderConfig audio,
            FusionConfig fusion,
            SortedMap<String, ReplyHeadConfig> replyHeads) {
        return new ModelConfig(
                text,
                image,
                audio,
                fusion,
                teacher.heads(),
                teacher.plugins(),
                teacher.pretrainedText(),
                teacher.torchScriptText(),
                replyHeads);
    }

    /** The teacher's generation heads, each decoder changed by {@code decoder}. */
    private static SortedMap<String, ReplyHeadConfig> replies(
            ModelConfig teacher, UnaryOperator<DecoderConfig> decoder) {
        SortedMap<String, ReplyHeadConfig> out = new TreeMap<>();
        teacher.replyHeads()
                .forEach(
                        (name, head) ->
                                out.put(
                                        name,
                                        new ReplyHeadConfig(
                                                decoder.apply(head.decoder()),
                                                head.memory(),
                                                head.source())));
        return out;
    }

    /**
     * {@code floor(n × factor)}, with a little slack so that 0.5 of 4 is 2 whatever the rounding.
     */
    private static int kept(int n, double factor) {
        return (int) Math.floor(n * factor + 1e-9);
    }

    private static int scaled(int width, double factor) {
        return Math.max(1, (int) Math.round(width * factor));
    }
}
