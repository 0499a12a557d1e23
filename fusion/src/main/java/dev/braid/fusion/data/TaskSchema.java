package dev.braid.fusion.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The task heads a model trains, derived from the training rows: for each head name its {@link
 * HeadKind} and, for classification kinds, the sorted class names (class index = position in that
 * list); a plug-in kind's classes are what its {@link HeadKindPlugin} says; a generation head has
 * none (its labels are texts). Saved as JSON in the model directory so that predictions map back to
 * names.
 *
 * <pre>{@code
 * {"heads": {"label": {"kind": "CLASSIFICATION", "classes": ["cat", "dog"]},
 *            "score": {"kind": "REGRESSION", "classes": []}}}
 * }</pre>
 *
 * @param heads head specs by name, sorted by name; not empty
 */
public record TaskSchema(SortedMap<String, HeadSpec> heads) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Copies the heads into a sorted, unmodifiable map and checks there is at least one, each under
     * its own name.
     */
    public TaskSchema {
        heads = Collections.unmodifiableSortedMap(new TreeMap<>(heads));
        heads.forEach(
                (key, head) -> {
                    if (!key.equals(head.name())) {
                        throw new IllegalArgumentException(
                                "the head under '" + key + "' is named '" + head.name() + "'");
                    }
                });
        if (heads.isEmpty()) {
            throw new IllegalArgumentException(
                    "heads must not be empty; label at least some training rows");
        }
    }

    /**
     * Derives the schema from the {@link Split#TRAIN} rows of {@code datasets}: every head that
     * labels at least one training row, with the kind its labels' JSON type says and the classes
     * seen.
     *
     * @throws ManifestException if a head has different kinds on different rows, naming the row
     *     (manifest and line) and the head
     * @throws IllegalArgumentException if no training row has a label
     */
    public static TaskSchema infer(List<Dataset> datasets) {
        return infer(datasets, Map.of());
    }

    /**
     * Like {@link #infer(List)}, with the kinds of some heads declared: a head declared with a
     * plug-in kind reads its labels, classes and outputs through that kind's {@link
     * HeadKindPlugin}; a head declared {@link HeadKind#GENERATION} reads each label as a text (a
     * JSON string); a head declared with another built-in kind must have labels of that kind.
     *
     * @param declared head name to kind; heads not in it get the kind their labels say
     * @throws ManifestException if a label does not fit its head's kind, naming the row (manifest
     *     and line) and the head
     * @throws IllegalArgumentException if no training row has a label, or a declared head labels
     *     none
     */
    public static TaskSchema infer(List<Dataset> datasets, Map<String, HeadKind> declared) {
        Map<String, HeadLabels> seen = new TreeMap<>();
        List<ManifestException.Problem> problems = new ArrayList<>();
        for (Dataset dataset : datasets) {
            for (ManifestEntry entry : dataset.entries(Split.TRAIN)) {
                for (Map.Entry<String, Label> e : entry.labels().entrySet()) {
                    String head = e.getKey();
                    String problem =
                            seen.computeIfAbsent(head, h -> new HeadLabels(h, declared.get(h)))
                                    .add(e.getValue(), entry.location());
                    if (problem != null && problems.size() < Manifest.MAX_ERRORS) {
                        problems.add(
                                new ManifestException.Problem(
                                        entry.manifest().toString(),
                                        entry.line(),
                                        field(head),
                                        problem));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
        for (Map.Entry<String, HeadKind> d : declared.entrySet()) {
            if (!seen.containsKey(d.getKey())) {
                throw new IllegalArgumentException(
                        "head '"
                                + d.getKey()
                                + "' is declared "
                                + d.getValue()
                                + " but no training row of "
                                + datasetNames(datasets)
                                + " labels it; heads labelled: "
                                + seen.keySet());
            }
        }
        SortedMap<String, HeadSpec> heads = new TreeMap<>();
        for (HeadLabels head : seen.values()) {
            try {
                heads.put(head.name, head.spec());
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException(
                        invalid.getMessage()
                                + ", in the training rows of "
                                + datasetNames(datasets),
                        invalid);
            }
        }
        return new TaskSchema(heads);
    }

    /** One head's training labels as they are read: its kind, where first seen, its classes. */
    private static final class HeadLabels {
        final String name;
        final boolean declared;
        HeadKind kind;
        String firstSeen;
        final TreeSet<String> classes = new TreeSet<>();
        final List<Label> pluginLabels = new ArrayList<>();

        /** A head whose kind is {@code declared}, or its first label's if that is null. */
        HeadLabels(String name, HeadKind declared) {
            this.name = name;
            this.declared = declared != null;
            this.kind = declared;
        }

        /** Adds one row's label; returns why it does not fit the head, or null. */
        String add(Label label, String location) {
            if (HeadKind.GENERATION.equals(kind)) {
                if (!(label instanceof Label.ClassLabel text) || text.name().isBlank()) {
                    return "head '"
                            + name
                            + "' (GENERATION) needs its text as a non-blank JSON string, found a "
                            + label.kind()
                            + " label";
                }
                return null;
            }
            if (kind != null && !kind.builtIn()) {
                try {
                    HeadKindPlugins.of(kind).check(label);
                } catch (IllegalArgumentException bad) {
                    return "head '" + name + "' (" + kind + "): " + bad.getMessage();
                }
                pluginLabels.add(label);
                return null;
            }
            if (kind == null) {
                kind = label.kind();
                firstSeen = location;
            } else if (!kind.equals(label.kind())) {
                return "head '"
                        + name
                        + "' is "
                        + label.kind()
                        + " here but "
                        + kind
                        + (declared ? " as the run declares it" : " at " + firstSeen);
            }
            if (label instanceof Label.ClassLabel c) {
                classes.add(c.name());
            } else if (label instanceof Label.MultiLabel m) {
                classes.addAll(m.names());
            }
            return null;
        }

        /** The head, once every training label is added. */
        HeadSpec spec() {
            if (kind.equals(HeadKind.MULTI_LABEL) && classes.isEmpty()) {
                throw new IllegalArgumentException(
                        "multi-label head '" + name + "' has no class on any training row");
            }
            List<String> names =
                    kind.builtIn()
                            ? List.copyOf(classes)
                            : HeadKindPlugins.of(kind).classes(pluginLabels);
            return new HeadSpec(name, kind, names);
        }
    }

    private static List<String> datasetNames(List<Dataset> datasets) {
        return datasets.stream().map(Dataset::name).toList();
    }

    private static String field(String head) {
        return head.equals(Label.DEFAULT_HEAD) ? "label" : "label." + head;
    }

    /** The head called {@code name}; throws {@link IllegalArgumentException} if there is none. */
    public HeadSpec head(String name) {
        HeadSpec head = heads.get(name);
        if (head == null) {
            throw new IllegalArgumentException(
                    "no head '" + name + "' in the schema; heads: " + heads.keySet());
        }
        return head;
    }

    /** The schema as JSON text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the schema as JSON", e);
        }
    }

    /**
     * Reads a schema written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the text is not a valid schema
     */
    public static TaskSchema fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            // schemas saved before heads carried their names: the name is the key
            if (root.path("heads").isObject()) {
                root.path("heads")
                        .fields()
                        .forEachRemaining(
                                e -> {
                                    if (e.getValue().isObject() && !e.getValue().has("name")) {
                                        ((ObjectNode) e.getValue()).put("name", e.getKey());
                                    }
                                });
            }
            return JSON.treeToValue(root, TaskSchema.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a task schema: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a schema file written by {@link #write(Path)}. */
    public static TaskSchema read(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
