package dev.braid.fusion.predict;

import dev.braid.fusion.Modality;
import java.util.Map;

/**
 * A model's pooled embeddings of one sample, each of the fusion's width D.
 *
 * @param fused the vector the heads read (the fusion's vectors averaged by their weights)
 * @param modalities each modality's own vector before fusion, for the modalities the sample has
 */
public record Embedding(float[] fused, Map<Modality, float[]> modalities) {}
