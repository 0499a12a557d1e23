package dev.braid.fusion.model;

import dev.braid.audio.encoder.AudioEncoderConfig;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugin;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.TextFeaturesSpec;
import dev.braid.text.encoder.TextEncoderConfig;
import dev.braid.vision.encoder.ImageEncoderConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

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
 * @param pretrainedText the text read through a frozen pretrained model and a trainable {@link
 *     TextAdapter}, or null; set only when {@code text} is null
 * @param torchScriptText the text read by a TorchScript module and a {@link TextAdapter}, or null;
 *     set only when {@code text} and {@code pretrainedText} are null
 * @param replyHeads the {@link ReplyHead} of each generation head ({@code HeadKind.GENERATION}), by
 *     head name: one for each such head of {@code heads}, none for the others; empty when the model
 *     has none (a model saved before generation heads were heads)
 */
public record ModelConfig(
        TextEncoderConfig text,
        ImageEncoderConfig image,
        AudioEncoderConfig audio,
        FusionConfig fusion,
        List<HeadSpec> heads,
        List<PluginInput> plugins,
        PretrainedText pretrainedText,
        TorchScriptText torchScriptText,
        SortedMap<String, ReplyHeadConfig> replyHeads) {

    /** A model without generation heads. */
    public ModelConfig(
            TextEncoderConfig text,
            ImageEncoderConfig image,
            AudioEncoderConfig audio,
            FusionConfig fusion,
            List<HeadSpec> heads,
            List<PluginInput> plugins,
            PretrainedText pretrainedText,
            TorchScriptText torchScriptText) {
        this(
                text,
                image,
                audio,
                fusion,
                heads,
                plugins,
                pretrainedText,
                torchScriptText,
                Collections.emptySortedMap());
    }

    /**
     * Text encoded by a TorchScript module ({@link TorchScriptTextEncoder}), read with the
     * tokenizer saved beside the model.
     *
     * @param path the module's file
     * @param sha256 the SHA-256 the file must have
     * @param featureWidth the width H of the module's tokens
     * @param width the adapter's output width
     */
    public record TorchScriptText(String path, String sha256, int featureWidth, int width) {

        public TorchScriptText {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            if (featureWidth < 1 || width < 1) {
                throw new IllegalArgumentException(
                        "featureWidth ("
                                + featureWidth
                                + ") and width ("
                                + width
                                + ") must be positive");
            }
        }

        /**
         * The module in {@code file}, adapted to {@code width}.
         *
         * @throws java.io.IOException naming the file if it is missing or not such a module
         */
        public static TorchScriptText of(java.nio.file.Path file, int width)
                throws java.io.IOException {
            java.nio.file.Path absolute = file.toAbsolutePath().normalize();
            return new TorchScriptText(
                    absolute.toString(),
                    TorchScriptTextEncoder.sha256(absolute),
                    TorchScriptTextEncoder.featureWidth(absolute),
                    width);
        }
    }

    /**
     * Text encoded by a frozen pretrained model during feature extraction, then by a {@link
     * TextAdapter} in the model.
     *
     * @param features the frozen model, as a saved model records it
     * @param featureWidth the width H of its vectors
     * @param width the adapter's output width
     */
    public record PretrainedText(TextFeaturesSpec features, int featureWidth, int width) {

        public PretrainedText {
            Objects.requireNonNull(features, "features");
            if (featureWidth < 1 || width < 1) {
                throw new IllegalArgumentException(
                        "featureWidth ("
                                + featureWidth
                                + ") and width ("
                                + width
                                + ") must be positive");
            }
        }
    }

    /** A model without a pretrained text model. */
    public ModelConfig(
            TextEncoderConfig text,
            ImageEncoderConfig image,
            AudioEncoderConfig audio,
            FusionConfig fusion,
            List<HeadSpec> heads,
            List<PluginInput> plugins) {
        this(text, image, audio, fusion, heads, plugins, null, null);
    }

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
        this(text, image, audio, fusion, heads, List.of(), null, null);
    }

    public ModelConfig {
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
        if ((text != null ? 1 : 0)
                        + (pretrainedText != null ? 1 : 0)
                        + (torchScriptText != null ? 1 : 0)
                > 1) {
            throw new IllegalArgumentException(
                    "set one of text, pretrainedText and torchScriptText: a model has one text encoder");
        }
        if (text == null
                && pretrainedText == null
                && torchScriptText == null
                && image == null
                && audio == null
                && plugins.isEmpty()) {
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
        replyHeads =
                Collections.unmodifiableSortedMap(
                        new TreeMap<>(replyHeads == null ? Map.of() : replyHeads));
        checkReplyHeads(
                heads,
                replyHeads,
                modalities(text, pretrainedText, torchScriptText, image, audio, plugins));
    }

    private static void checkReplyHeads(
            List<HeadSpec> heads, Map<String, ReplyHeadConfig> replyHeads, List<Modality> reads) {
        List<String> generating =
                heads.stream().filter(HeadSpec::generates).map(HeadSpec::name).sorted().toList();
        if (!generating.equals(List.copyOf(replyHeads.keySet()))) {
            throw new IllegalArgumentException(
                    "replyHeads "
                            + replyHeads.keySet()
                            + " must be the generation heads "
                            + generating
                            + ": each generation head needs its decoder (ReplyHeadConfig)");
        }
        replyHeads.forEach(
                (name, head) -> {
                    if (!reads.containsAll(head.memory())) {
                        throw new IllegalArgumentException(
                                "head '"
                                        + name
                                        + "': its memory "
                                        + head.memory()
                                        + " must be among the modalities the model reads "
                                        + reads);
                    }
                });
    }

    /** This model with {@code replyHeads} as its generation heads' decoders. */
    public ModelConfig withReplyHeads(Map<String, ReplyHeadConfig> replyHeads) {
        return new ModelConfig(
                text,
                image,
                audio,
                fusion,
                heads,
                plugins,
                pretrainedText,
                torchScriptText,
                new TreeMap<>(replyHeads));
    }

    /** The modalities this model reads, in enum order. */
    public List<Modality> modalities() {
        return modalities(text, pretrainedText, torchScriptText, image, audio, plugins);
    }

    private static List<Modality> modalities(
            TextEncoderConfig text,
            PretrainedText pretrainedText,
            TorchScriptText torchScriptText,
            ImageEncoderConfig image,
            AudioEncoderConfig audio,
            List<PluginInput> plugins) {
        List<Modality> out = new ArrayList<>();
        if (text != null || pretrainedText != null || torchScriptText != null) {
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

    /** Whether the model reads text token ids, saved with its tokenizer. */
    public boolean readsTokens() {
        return text != null || torchScriptText != null;
    }

    /** Whether the model reads text, by any kind of text encoder. */
    public boolean readsText() {
        return text != null || pretrainedText != null || torchScriptText != null;
    }

    /**
     * The same model reading only {@code modality}: a unimodal baseline (its generation heads'
     * memory that modality's tokens).
     */
    public ModelConfig only(Modality modality) {
        SortedMap<String, ReplyHeadConfig> onlyReplies = new TreeMap<>();
        replyHeads.forEach(
                (name, head) ->
                        onlyReplies.put(
                                name, new ReplyHeadConfig(head.decoder(), List.of(modality))));
        return new ModelConfig(
                modality == Modality.TEXT ? text : null,
                modality == Modality.IMAGE ? image : null,
                modality == Modality.AUDIO ? audio : null,
                fusion,
                heads,
                plugins.stream().filter(p -> p.modality().equals(modality)).toList(),
                modality == Modality.TEXT ? pretrainedText : null,
                modality == Modality.TEXT ? torchScriptText : null,
                onlyReplies);
    }

    public ModelConfig withFusion(FusionConfig f) {
        return new ModelConfig(
                text, image, audio, f, heads, plugins, pretrainedText, torchScriptText, replyHeads);
    }
}
