package dev.braid.fusion.data.inspect;

import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.ManifestCheck;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.vision.image.DecodeOptions;
import dev.braid.vision.image.ImageDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads every row of a dataset and every file its rows name once (on all cores), and reports what
 * it found ({@link DatasetInspection}); or fits feature settings to the training split alone
 * ({@link #fit}).
 */
public final class DatasetInspector {

    private final ImageDecoder decoder;

    /** An inspector decoding images with {@code decoding}'s limits. */
    public DatasetInspector(DecodeOptions decoding) {
        this.decoder = new ImageDecoder(decoding);
    }

    /** Inspects the rows and problems of {@code check}. */
    public DatasetInspection inspect(ManifestCheck check) {
        List<RowFacts> rows = facts(check.entries());
        Map<Split, List<RowFacts>> bySplit = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            bySplit.put(split, rows.stream().filter(r -> r.entry().split() == split).toList());
        }
        FeatureFit fit = FeatureFit.of(bySplit.get(Split.TRAIN), 0);
        Map<String, SplitProfile> splits = new LinkedHashMap<>();
        bySplit.forEach(
                (split, of) -> {
                    if (!of.isEmpty()) {
                        splits.put(split.manifestValue(), profile(of, fit));
                    }
                });
        return new DatasetInspection(
                check.name(),
                check.source().toString(),
                rows.size(),
                check.problems().stream().map(Object::toString).toList(),
                splits,
                leakage(rows),
                duplicates(rows),
                fit.features().choices());
    }

    /**
     * Fits feature settings to the training rows, reading their files.
     *
     * @param train the training split's rows
     * @param givenVocabulary the vocabulary size the run gives, or 0 to derive it too
     */
    public FittedFeatures fit(List<ManifestEntry> train, int givenVocabulary) {
        return FeatureFit.of(facts(train), givenVocabulary).features();
    }

    private List<RowFacts> facts(List<ManifestEntry> entries) {
        return entries.parallelStream()
                .map(
                        e ->
                                new RowFacts(
                                        e,
                                        e.has(Modality.IMAGE)
                                                ? FileReading.image(
                                                        e.inputs().get(Modality.IMAGE), decoder)
                                                : null,
                                        e.has(Modality.AUDIO)
                                                ? FileReading.audio(e.inputs().get(Modality.AUDIO))
                                                : null))
                .toList();
    }

    private static SplitProfile profile(List<RowFacts> rows, FeatureFit fit) {
        Map<String, Map<String, Integer>> labels = new TreeMap<>();
        Map<String, Integer> modalities = new TreeMap<>();
        Map<String, Integer> combinations = new TreeMap<>();
        for (RowFacts row : rows) {
            ManifestEntry e = row.entry();
            e.labels()
                    .forEach(
                            (head, label) ->
                                    count(
                                            labels.computeIfAbsent(head, h -> new TreeMap<>()),
                                            label));
            e.inputs().keySet().forEach(m -> modalities.merge(m.field(), 1, Integer::sum));
            combinations.merge(
                    e.inputs().keySet().stream()
                            .map(Modality::field)
                            .collect(Collectors.joining("+")),
                    1,
                    Integer::sum);
        }
        FittedFeatures settings = fit.features();
        List<String> texts =
                rows.stream()
                        .map(r -> r.entry().inputs().get(Modality.TEXT))
                        .filter(Objects::nonNull)
                        .toList();
        return new SplitProfile(
                rows.size(),
                labels,
                modalities,
                Counts.mostCommon(combinations, combinations.size()),
                ImageProfile.of(files(rows, RowFacts::image)),
                AudioProfile.of(files(rows, RowFacts::audio), settings.audioMaxSeconds()),
                TextProfile.of(texts, fit.tokenizer(), settings.textMaxLength()));
    }

    private static void count(Map<String, Integer> counts, Label label) {
        if (label instanceof Label.ClassLabel c) {
            counts.merge(c.name(), 1, Integer::sum);
        } else if (label instanceof Label.MultiLabel m) {
            m.names().forEach(n -> counts.merge(n, 1, Integer::sum));
        } else if (label instanceof Label.NumericLabel n) {
            counts.merge(String.valueOf(n.value()), 1, Integer::sum);
        }
    }

    private static List<FileFacts> files(
            List<RowFacts> rows, java.util.function.Function<RowFacts, FileFacts> file) {
        return rows.stream().map(file).filter(Objects::nonNull).toList();
    }

    /** Files (by content) that rows of more than one split use. */
    private static List<Leak> leakage(List<RowFacts> rows) {
        Map<String, List<RowFacts>> users = new TreeMap<>();
        Map<String, TreeSet<String>> paths = new TreeMap<>();
        for (RowFacts row : rows) {
            for (FileFacts f : new FileFacts[] {row.image(), row.audio()}) {
                if (f != null && f.sha256() != null) {
                    users.computeIfAbsent(f.sha256(), k -> new ArrayList<>()).add(row);
                    paths.computeIfAbsent(f.sha256(), k -> new TreeSet<>()).add(f.file());
                }
            }
        }
        List<Leak> leaks = new ArrayList<>();
        users.forEach(
                (hash, of) -> {
                    if (of.stream().map(r -> r.entry().split()).distinct().count() > 1) {
                        leaks.add(
                                new Leak(
                                        List.copyOf(paths.get(hash)),
                                        of.stream()
                                                .map(
                                                        r ->
                                                                r.entry().split().manifestValue()
                                                                        + ": "
                                                                        + r.where())
                                                .toList()));
                    }
                });
        return leaks;
    }

    /** Groups of rows with the same text, file contents and labels. */
    private static List<List<String>> duplicates(List<RowFacts> rows) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (RowFacts row : rows) {
            ManifestEntry e = row.entry();
            String key =
                    e.inputs().get(Modality.TEXT)
                            + "\u0000"
                            + content(row.image())
                            + "\u0000"
                            + content(row.audio())
                            + "\u0000"
                            + e.inputs().entrySet().stream()
                                    .filter(i -> !i.getKey().builtIn())
                                    .map(Map.Entry::toString)
                                    .collect(Collectors.joining(","))
                            + "\u0000"
                            + e.labels();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row.where());
        }
        return groups.values().stream().filter(g -> g.size() > 1).map(List::copyOf).toList();
    }

    private static String content(FileFacts f) {
        return f == null ? "" : f.sha256() != null ? f.sha256() : f.file();
    }
}
