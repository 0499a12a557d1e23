package dev.braid.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.data.TextFeaturesProvider;
import java.io.IOException;

/** Opens recorded {@link OnnxTextFeatures} for a saved model (found by {@code ServiceLoader}). */
public final class OnnxTextFeaturesProvider implements TextFeaturesProvider {

    @Override
    public String kind() {
        return OnnxTextFeatures.KIND;
    }

    @Override
    public TextFeatures open(JsonNode settings) throws IOException {
        return OnnxTextFeatures.open(settings);
    }
}
