package dev.braid.fusion.compress;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.model.FusionConfig;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.text.encoder.PositionEncoding;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.vision.encoder.ImageEncoderConfig;

/**
 * Structured pruning: a smaller dense model holding the most important part of a trained one, so
 * the saving shows in time and not only in zeros. A {@code fraction} of the image encoder's
 * convolution channels (stem and every stage), of the audio encoder's front-end channels (with the
 * projection inputs that read them: each channel's mels, flattened channel-major) and of the hidden
 * units of every feed-forward block (fusion and text encoder) is removed; which ones, {@link
 * SliceCopy} decides from the weights. A {@code headFraction} of the attention heads of the text
 * encoder's layers and of the fusion's attention layers goes too, whole heads, each attention
 * keeping those of largest output projection ({@link HeadPruning}): the attention width ({@link
 * dev.braid.text.transformer.LayerConfig#attentionWidth}) shrinks with them, the model width stays.
 *
 * <p>Left as they are: the heads of an ALiBi text encoder (its per-head slopes are set by the
 * number of heads, so the kept heads would change their slopes), gated feed-forward blocks (their
 * value and gate halves would have to be cut together) and plug-in encoders.
 */
public final class StructuredPruning {

    private final double fraction;
    private final double headFraction;

    /**
     * Removes {@code fraction} of the channels and units and of the attention heads.
     *
     * @param fraction the share of channels and units to remove, in (0, 1)
     * @throws IllegalArgumentException if it is outside (0, 1)
     */
    public StructuredPruning(double fraction) {
        this(fraction, fraction);
    }

    /**
     * @param fraction the share of channels and units to remove, in (0, 1)
     * @param headFraction the share of every attention's heads to remove, in [0, 1); 0 keeps them
     * @throws IllegalArgumentException if either is out of its range
     */
    public StructuredPruning(double fraction, double headFraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "structured sparsity (" + fraction + ") must be in (0, 1)");
        }
        if (!(headFraction >= 0 && headFraction < 1)) {
            throw new IllegalArgumentException(
                    "head fraction (" + headFraction + ") must be in [0, 1)");
        }
        this.fraction = fraction;
        this.headFraction = headFraction;
    }

    /** How many of {@code n} units are kept: at least one. */
    int kept(int n) {
        return Math.max(1, (int) Math.round(n * (1 - fraction)));
    }

    /** How many of {@code n} heads are kept: at least one. */
    int keptHeads(int n) {
        return Math.max(1, (int) Math.round(n * (1 - headFraction)));
    }

    /** The configuration of the pruned model. */
    public ModelConfig prunedConfig(ModelConfig config) {
        TextEncoderConfig text = config.text();
        if (text != null && !text.feedForward().gated()) {
            text = text.toBuilder().feedForwardWidth(kept(text.feedForwardWidth())).build();
        }
        if (text != null && text.position() != PositionEncoding.ALIBI) {
            int heads = keptHeads(text.heads());
            int headWidth = text.layerConfig().headWidth();
            text = text.toBuilder().heads(heads).attentionWidth(heads * headWidth).build();
        }
        ImageEncoderConfig image = config.image();
        if (image != null) {
            image =
                    new ImageEncoderConfig(
                            image.inputChannels(),
                            kept(image.stemChannels()),
                            image.stemStride(),
                            image.stageChannels().stream().map(this::kept).toList(),
                            image.stageBlocks(),
                            image.width(),
                            image.nonlinearity(),
                            image.stageBlock());
        }
        AudioEncoderConfig audio = config.audio();
        if (audio != null) {
            audio =
                    new AudioEncoderConfig(
                            audio.mels(),
                            kept(audio.channels()),
                            audio.convLayers(),
                            audio.width(),
                            audio.temporalBlocks(),
                            audio.temporalKernel(),
                            audio.frontEnd());
        }
        FusionConfig fusion = config.fusion();
        int heads = keptHeads(fusion.heads());
        fusion =
                fusion.withWidths(
                                fusion.width(), kept(fusion.hiddenWidth()), fusion.attentionWidth())
                        .withHeads(heads, heads * fusion.headWidth());
        return new ModelConfig(
                text,
                image,
                audio,
                fusion,
                config.heads(),
                config.plugins(),
                config.pretrainedText(),
                config.torchScriptText(),
                config.replyHeads());
    }

    /**
     * The pruned model, built in {@code manager} with the most important weights of {@code model}.
     */
    public FusionModel apply(FusionModel model, FeatureSettings features, NDManager manager) {
        ModelConfig pruned = prunedConfig(model.config());
        FusionModel small = new FusionModel(pruned);
        small.initialize(manager, DataType.FLOAT32, ModelDirectory.inputShapes(pruned, features));
        SliceCopy.copy(model, small);
        return small;
    }
}
