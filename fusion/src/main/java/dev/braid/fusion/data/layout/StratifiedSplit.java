package dev.braid.fusion.data.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Gives the rows that have no split one, so that each label keeps its share in every split: within
 * each label (all heads' labels together), the rows are shuffled with the seed and the first {@code
 * test} fraction (rounded) goes to test, the next {@code val} fraction to val, the rest to train. A
 * label with a single row stays in train. Rows that name a split keep it.
 *
 * @param val the fraction of each label's rows for validation
 * @param test the fraction of each label's rows for test
 * @param seed the shuffle's seed; the same seed and rows give the same split
 */
public record StratifiedSplit(double val, double test, long seed) {

    /** 80 / 10 / 10, seed 42. */
    public static StratifiedSplit defaults() {
        return new StratifiedSplit(0.1, 0.1, 42);
    }

    /** Checks the fractions leave room for training. */
    public StratifiedSplit {
        if (!(val >= 0 && test >= 0 && val + test < 1)) {
            throw new IllegalArgumentException(
                    "split fractions val ("
                            + val
                            + ") and test ("
                            + test
                            + ") must be at least 0 and leave some rows for train");
        }
    }

    /** Sets a split on every row of {@code rows} that has none (the rows' JSON is changed). */
    void assign(List<Manifest.SourceRow> rows) {
        Map<String, List<ObjectNode>> byLabel = new TreeMap<>();
        for (Manifest.SourceRow row : rows) {
            if (row.json() instanceof ObjectNode json && absent(json.get("split"))) {
                byLabel.computeIfAbsent(label(json), k -> new ArrayList<>()).add(json);
            }
        }
        Random random = new Random(seed);
        for (List<ObjectNode> group : byLabel.values()) {
            Collections.shuffle(group, random);
            int n = group.size();
            int tests = n < 2 ? 0 : (int) Math.round(n * test);
            int vals = n < 2 ? 0 : (int) Math.round(n * val);
            for (int i = 0; i < n; i++) {
                Split split = i < tests ? Split.TEST : i < tests + vals ? Split.VAL : Split.TRAIN;
                group.get(i).put("split", split.manifestValue());
            }
        }
    }

    private static String label(ObjectNode row) {
        JsonNode label = row.get("label");
        return absent(label) ? "" : label.toString();
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }
}
