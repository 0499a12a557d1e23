package dev.braid.fusion.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The recorded description of a {@link TextFeatures}: its kind (which {@link TextFeaturesProvider}
 * opens it) and the provider's own settings (e.g. which ONNX model, and the SHA-256 of its file).
 *
 * @param kind the provider's {@link TextFeaturesProvider#kind()}
 * @param settings what the provider needs to open the same model again
 */
public record TextFeaturesSpec(String kind, JsonNode settings) {

    public TextFeaturesSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(settings, "settings");
    }

    /**
     * Opens the model through the provider of its kind found on the class path.
     *
     * @throws IOException if no provider of this kind is on the class path, or the provider cannot
     *     open the model
     */
    public TextFeatures open() throws IOException {
        for (TextFeaturesProvider provider : ServiceLoader.load(TextFeaturesProvider.class)) {
            if (provider.kind().equals(kind)) {
                return provider.open(settings);
            }
        }
        throw new IOException(
                "no provider of '"
                        + kind
                        + "' text features is on the class path (META-INF/services/"
                        + TextFeaturesProvider.class.getName()
                        + "); for 'onnx', add the braid-onnx module");
    }
}
