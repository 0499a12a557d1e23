package dev.braid.apps.plugin;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.Modality;
import dev.braid.fusion.ModalityPlugin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A user's modality, written outside Braid's sources: a fixed-length vector of numbers per sample,
 * {@code "tabular": [0.3, -1.2, 4.0, 0.0]} in a manifest row, the same JSON as a request's bytes.
 */
public final class TabularModality implements ModalityPlugin<float[]> {

    public static final Modality TABULAR = Modality.custom("tabular");
    static final int FEATURES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Modality modality() {
        return TABULAR;
    }

    @Override
    public float[] fromManifest(JsonNode value, Path datasetDir) {
        if (!value.isArray() || value.size() != FEATURES) {
            throw new IllegalArgumentException("must be an array of " + FEATURES + " numbers");
        }
        float[] features = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            if (!value.get(i).isNumber()) {
                throw new IllegalArgumentException("element " + i + " is not a number");
            }
            features[i] = value.get(i).floatValue();
        }
        return features;
    }

    @Override
    public float[] fromBytes(byte[] input) throws IOException {
        return fromManifest(JSON.readTree(input), null);
    }

    @Override
    public NDList batch(List<float[]> features, NDManager manager) {
        float[] values = new float[features.size() * FEATURES];
        boolean[] present = new boolean[features.size()];
        for (int b = 0; b < features.size(); b++) {
            if (features.get(b) != null) {
                System.arraycopy(features.get(b), 0, values, b * FEATURES, FEATURES);
                present[b] = true;
            }
        }
        return new NDList(
                manager.create(values, new Shape(features.size(), FEATURES)),
                manager.create(present));
    }

    @Override
    public Shape[] inputShapes() {
        return new Shape[] {new Shape(1, FEATURES), new Shape(1)};
    }

    @Override
    public Block encoder(int width) {
        return new TabularEncoder(width);
    }
}
