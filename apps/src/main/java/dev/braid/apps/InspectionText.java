package dev.braid.apps;

import dev.braid.fusion.data.inspect.AudioProfile;
import dev.braid.fusion.data.inspect.DatasetInspection;
import dev.braid.fusion.data.inspect.Distribution;
import dev.braid.fusion.data.inspect.FeatureChoice;
import dev.braid.fusion.data.inspect.ImageProfile;
import dev.braid.fusion.data.inspect.Leak;
import dev.braid.fusion.data.inspect.SplitProfile;
import dev.braid.fusion.data.inspect.TextProfile;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code braid inspect}'s report as text, for a person to read. */
final class InspectionText {

    /** At most this many items of one list (problems, unreadable files, leaks) are printed. */
    private static final int SHOWN = 20;

    private final StringBuilder out = new StringBuilder();

    private InspectionText() {}

    static String of(DatasetInspection inspection) {
        InspectionText text = new InspectionText();
        text.write(inspection);
        return text.out.toString();
    }

    private void write(DatasetInspection d) {
        line("Dataset '%s' (%s): %d valid rows", d.name(), d.source(), d.rows());
        line("(a range a / b / c / d is min / median / 95th percentile / max)");
        list("Problems", d.problems());
        d.splits().forEach(this::split);
        line("");
        if (d.leakage().isEmpty()) {
            line("Leakage: none (no image or audio file is used in two splits)");
        } else {
            list(
                    "Leakage: files used in more than one split",
                    d.leakage().stream().map(InspectionText::leak).toList());
        }
        if (d.duplicates().isEmpty()) {
            line("Duplicate rows: none");
        } else {
            list(
                    "Duplicate rows (same inputs and labels)",
                    d.duplicates().stream().map(g -> String.join(", ", g)).toList());
        }
        line("");
        line("Feature settings braid train would derive (from the training split):");
        for (FeatureChoice c : d.settings()) {
            line("  %-24s %-6s %s", c.field(), c.value(), c.reason());
        }
    }

    private void split(String name, SplitProfile s) {
        line("");
        line("%s: %d rows", name, s.rows());
        s.labels().forEach((head, counts) -> line("  labels %s: %s", head, balance(counts)));
        line("  modalities: %s", percentages(s.modalities(), s.rows()));
        line("  combinations: %s", join(s.combinations()));
        ImageProfile i = s.images();
        if (i.count() > 0) {
            line(
                    "  images: %d; %s; width %s, height %s px; sizes %s; stored %s; %d show colour",
                    i.count(),
                    join(i.formats()),
                    range(i.width(), "%.0f"),
                    range(i.height(), "%.0f"),
                    join(i.sizes()),
                    join(i.storedChannels()),
                    i.colour());
            list("  unreadable images", i.unreadable());
        }
        AudioProfile a = s.audio();
        if (a.count() > 0) {
            line(
                    "  audio: %d clips; %s s; %s; %d longer than %.1f s",
                    a.count(),
                    range(a.seconds(), "%.2f"),
                    join(a.sampleRates()),
                    a.longerThanCap(),
                    a.cap());
            list("  unreadable clips", a.unreadable());
        }
        TextProfile t = s.text();
        if (t.count() > 0) {
            line(
                    "  text: %d; %s characters; %s tokens; scripts %s; %d longer than %d tokens",
                    t.count(),
                    range(t.characters(), "%.0f"),
                    range(t.tokens(), "%.0f"),
                    join(t.scripts()),
                    t.longerThanCap(),
                    t.cap());
        }
    }

    /** {@code cat 40 (50.0%), dog 40 (50.0%); largest/smallest 1.0}. */
    private static String balance(Map<String, Integer> counts) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return percentages(counts, total)
                + String.format(
                        Locale.ROOT,
                        "; %d classes, largest/smallest %.1f",
                        counts.size(),
                        (double) max / min);
    }

    private static String percentages(Map<String, Integer> counts, int total) {
        return counts.entrySet().stream()
                .map(
                        e ->
                                String.format(
                                        Locale.ROOT,
                                        "%s %d (%.1f%%)",
                                        e.getKey(),
                                        e.getValue(),
                                        100.0 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }

    private static String join(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** {@code 0.81 / 1.90 / 2.71 / 3.00}: min / median / p95 / max. */
    private static String range(Distribution d, String format) {
        String f = format + " / " + format + " / " + format + " / " + format;
        return String.format(Locale.ROOT, f, d.min(), d.median(), d.p95(), d.max());
    }

    private static String leak(Leak leak) {
        return String.join(", ", leak.files()) + " in " + String.join("; ", leak.rows());
    }

    private void list(String title, List<String> items) {
        if (items.isEmpty()) {
            if (title.equals("Problems")) {
                line("Problems: none");
            }
            return;
        }
        line("%s (%d):", title, items.size());
        items.stream().limit(SHOWN).forEach(i -> line("  %s", i));
        if (items.size() > SHOWN) {
            line("  ... and %d more (--json lists them all)", items.size() - SHOWN);
        }
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
