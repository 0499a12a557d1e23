package dev.braid.fusion.data.inspect;

import java.util.Map;

/**
 * One split of a dataset.
 *
 * @param rows its valid rows
 * @param labels per head, how many rows have each label ({@code "3.5"} for a number, a multi-label
 *     row counted once per label); class balance
 * @param modalities how many rows have each modality
 * @param combinations how many rows have each combination of modalities, {@code "text+image"}, the
 *     most common first
 * @param images its images
 * @param audio its audio clips
 * @param text its texts
 */
public record SplitProfile(
        int rows,
        Map<String, Map<String, Integer>> labels,
        Map<String, Integer> modalities,
        Map<String, Integer> combinations,
        ImageProfile images,
        AudioProfile audio,
        TextProfile text) {}
