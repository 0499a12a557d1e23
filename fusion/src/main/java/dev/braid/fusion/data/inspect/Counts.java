package dev.braid.fusion.data.inspect;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counting helpers for the profiles. */
final class Counts {

    private Counts() {}

    /** The {@code n} largest counts, largest first (ties in key order). */
    static Map<String, Integer> mostCommon(Map<String, Integer> counts, int n) {
        Map<String, Integer> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }
}
