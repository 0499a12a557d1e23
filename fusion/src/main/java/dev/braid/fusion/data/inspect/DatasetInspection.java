package dev.braid.fusion.data.inspect;

import java.util.List;
import java.util.Map;

/**
 * What {@link DatasetInspector} found in a dataset.
 *
 * @param name the dataset's name
 * @param source the file or folder it was read from
 * @param rows its valid rows
 * @param problems every problem, each naming the file, the line and the field
 * @param splits per split ({@code train}, {@code val}, {@code test}), its profile
 * @param leakage files used in more than one split
 * @param duplicates groups of rows with the same inputs and labels, each listed {@code id
 *     (file:line)}
 * @param settings the feature settings derived from the training split, and why
 */
public record DatasetInspection(
        String name,
        String source,
        int rows,
        List<String> problems,
        Map<String, SplitProfile> splits,
        List<Leak> leakage,
        List<List<String>> duplicates,
        List<FeatureChoice> settings) {}
