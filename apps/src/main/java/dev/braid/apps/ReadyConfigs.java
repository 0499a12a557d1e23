package dev.braid.apps;

import dev.braid.apps.run.RunConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The configurations shipped in the app ({@code src/main/resources/configs}): one per fusion mode
 * and baseline on the AV-MNIST digits, and the customer-service model with its unimodal baselines
 * on the support tickets. {@code --config NAME} takes one of them; anything else is read as a file.
 */
public final class ReadyConfigs {

    /** The shipped configurations, by name. */
    public static final List<String> NAMES =
            List.of(
                    "avmnist-pairwise",
                    "avmnist-latent",
                    "avmnist-gated",
                    "avmnist-early",
                    "avmnist-late",
                    "avmnist-gmu",
                    "avmnist-image-only",
                    "avmnist-audio-only",
                    "support-fused",
                    "support-fused-bilingual",
                    "support-fused-bilingual-both",
                    "support-fused-pretrained",
                    "support-text-only",
                    "support-image-only",
                    "support-audio-only",
                    "peer-shape",
                    "support-fused-speech",
                    "support-audio-speech",
                    "speech-pretrain");

    private ReadyConfigs() {}

    public static RunConfig load(String nameOrFile, List<String> overrides) throws IOException {
        if (NAMES.contains(nameOrFile)) {
            return RunConfig.parse(text(nameOrFile), overrides, "configs/" + nameOrFile + ".yaml");
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "no configuration file "
                            + file.toAbsolutePath()
                            + " and no ready-made one named '"
                            + nameOrFile
                            + "'; ready-made: "
                            + NAMES);
        }
        return RunConfig.load(file, overrides);
    }

    public static String text(String name) throws IOException {
        try (InputStream in =
                ReadyConfigs.class.getResourceAsStream("/configs/" + name + ".yaml")) {
            if (in == null) {
                throw new IOException("configs/" + name + ".yaml is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
