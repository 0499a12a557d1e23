package dev.braid.fusion.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Opens {@link TextFeatures} of one kind from their recorded settings. Listed in {@code
 * META-INF/services/dev.braid.fusion.data.TextFeaturesProvider} of the jar that holds them, so a
 * saved model whose text encoder is such a model loads wherever that jar is on the class path.
 */
public interface TextFeaturesProvider {

    /** The kind this provider opens, as {@link TextFeaturesSpec#kind()} names it. */
    String kind();

    /**
     * Opens the model {@code settings} describe.
     *
     * @throws IOException naming the file if a model file is missing, unreadable or not the one
     *     recorded
     */
    TextFeatures open(JsonNode settings) throws IOException;
}
