package dev.braid.fusion.model;

import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.Modality;
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
 */
public record ModelConfig(
        TextEncoderConfig text,
        ImageEncoderConfig image,
        AudioEncoderConfig audio,
        FusionConfig fusion,
        List<HeadSpec> heads) {

    public ModelConfig {
        if (text == null && image == null && audio == null) {
            throw new IllegalArgumentException("a model needs at least one of text, image, audio");
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
        return out;
    }

    /** The same model reading only {@code modality}: a unimodal baseline. */
    public ModelConfig only(Modality modality) {
        return new ModelConfig(
                modality == Modality.TEXT ? text : null,
                modality == Modality.IMAGE ? image : null,
                modality == Modality.AUDIO ? audio : null,
                fusion,
                heads);
    }

    public ModelConfig withFusion(FusionConfig f) {
        return new ModelConfig(text, image, audio, f, heads);
    }
}
