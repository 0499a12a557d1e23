package dev.braid.apps.plugin;

import dev.braid.fusion.predict.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A saved model copied where its plug-in is missing: its class name in model.json replaced. */
final class MovedModel {

    private MovedModel() {}

    /**
     * Copies {@code model} to {@code copy}, naming {@code missing} where it names {@code plugin}.
     */
    static Path withoutPlugin(Path model, Path copy, Class<?> plugin, String missing)
            throws IOException {
        Files.createDirectories(copy);
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path manifest = copy.resolve(ModelDirectory.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace(plugin.getName(), missing));
        return copy;
    }
}
