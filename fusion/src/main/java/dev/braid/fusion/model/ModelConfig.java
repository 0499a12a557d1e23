package dev.braid.fusion.model;

import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugin;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.vision.encoder.ImageEncoderConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Everything that shapes a {@link FusionModel}: one encoder configuration per modality it reads,
 * the fusion, and the heads. A modality the model does not read has a null encoder configuration
 * (this is also how a unimodal baseline is made: the same config with the other two set to null).
 *
 * @param text the text encoder, or null
 * @param image the image encoder, or null
 * @param audio the audio encoder, or null
 * @param fusion the fusion block
 * @param heads the task heads, at least one, names unique
 * @param plugins the plug-in modalities the model reads, each encoded by its plug-in's encoder
 */
public record ModelConfig(
        TextEncoderConfig text,
        ImageEncoderConfig image,
        AudioEncoderConfig audio,
        FusionConfig fusion,
        List<HeadSpec> heads,
        List<PluginInput> plugins) {

    /**
     * A plug-in modality a model reads.
     *
     * @param modality the modality
     * @param plugin the class name of the {@link dev.braid.fusion.ModalityPlugin} that adds it, so
     *     a saved model names what it needs
     * @param width its encoder's output width
     */
    public record PluginInput(Modality modality, String plugin, int width) {

        /** The input {@code plugin} adds, its encoder of width {@code width}. */
        public static PluginInput of(ModalityPlugin<?> plugin, int width) {
            return new PluginInput(plugin.modality(), plugin.getClass().getName(), width);
        }
    }

    /** A model of the built-in modalities only. */
    public ModelConfig(
            TextEncoderConfig text,
            ImageEncoderConfig image,
            AudioEncoderConfig audio,
            FusionConfig fusion,
            List<HeadSpec> heads) {
        this(text, image, audio, fusion, heads, List.of());
    }

    public ModelConfig {
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
        if (text == null && image == null && audio == null && plugins.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one modality");
        }
        if (fusion == null) {
            throw new IllegalArgumentException("fusion must be set");
        }
        if (heads == null || heads.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one head");
        }
        heads = List.copyOf(heads);
        HashSet<String> names = new HashSet<>();
        for (HeadSpec head : heads) {
            if (!names.add(head.name())) {
                throw new IllegalArgumentException("head name '" + head.name() + "' is used twice");
            }
        }
    }

    /** The modalities this model reads, in enum order. */
    public List<Modality> modalities() {
        List<Modality> out = new ArrayList<>();
        if (text != null) {
            out.add(Modality.TEXT);
        }
        if (image != null) {
            out.add(Modality.IMAGE);
        }
        if (audio != null) {
            out.add(Modality.AUDIO);
        }
        plugins.stream().map(PluginInput::modality).sorted().forEach(out::add);
        return out;
    }

    /** The same model reading only {@code modality}: a unimodal baseline. */
    public ModelConfig only(Modality modality) {
        return new ModelConfig(
                modality == Modality.TEXT ? text : null,
                modality == Modality.IMAGE ? image : null,
                modality == Modality.AUDIO ? audio : null,
                fusion,
                heads,
                plugins.stream().filter(p -> p.modality().equals(modality)).toList());
    }

    public ModelConfig withFusion(FusionConfig f) {
        return new ModelConfig(text, image, audio, f, heads, plugins);
    }
}
