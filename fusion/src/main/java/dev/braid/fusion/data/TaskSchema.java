package dev.braid.fusion.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The task heads a model trains, derived from the training rows: for each head name its {@link
 * HeadKind} and, for classification kinds, the sorted class names (class index = position in that
 * list). Saved as JSON in the model directory so that predictions map back to names.
 *
 * <pre>{@code
 * {"heads": {"label": {"kind": "CLASSIFICATION", "classes": ["cat", "dog"]},
 *            "score": {"kind": "REGRESSION", "classes": []}}}
 * }</pre>
 *
 * @param heads head specs by name, sorted by name; not empty
 */
public record TaskSchema(SortedMap<String, Head> heads) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One head.
     *
     * @param kind what it predicts
     * @param classes the sorted, distinct class names for CLASSIFICATION (at least 1) and
     *     MULTI_LABEL (at least 1); empty for REGRESSION
     */
    public record Head(HeadKind kind, List<String> classes) {

        /** Checks the classes match the kind and are sorted and distinct. */
        public Head {
            Objects.requireNonNull(kind, "kind");
            classes = List.copyOf(classes);
            if (kind == HeadKind.REGRESSION && !classes.isEmpty()) {
                throw new IllegalArgumentException(
                        "classes " + classes + " must be empty for a REGRESSION head");
            }
            if (kind != HeadKind.REGRESSION && classes.isEmpty()) {
                throw new IllegalArgumentException(
                        "classes must not be empty for a " + kind + " head");
            }
            for (int i = 1; i < classes.size(); i++) {
                if (classes.get(i - 1).compareTo(classes.get(i)) >= 0) {
                    throw new IllegalArgumentException(
                            "classes " + classes + " must be sorted and distinct");
                }
            }
        }

        /** The number of classes K (the head's output width); 1 for regression. */
        public int outputs() {
            return kind == HeadKind.REGRESSION ? 1 : classes.size();
        }

        /** The index of {@code name}, or -1 if it is not one of the classes. */
        public int indexOf(String name) {
            int i = Collections.binarySearch(classes, name);
            return i >= 0 ? i : -1;
        }
    }

    /** Copies the heads into a sorted, unmodifiable map and checks there is at least one. */
    public TaskSchema {
        heads = Collections.unmodifiableSortedMap(new TreeMap<>(heads));
        if (heads.isEmpty()) {
            throw new IllegalArgumentException(
                    "heads must not be empty; label at least some training rows");
        }
    }

    /**
     * Derives the schema from the {@link Split#TRAIN} rows of {@code datasets}: every head that
     * labels at least one training row, with its kind and the classes seen.
     *
     * @throws ManifestException if a head has different kinds on different rows, naming the row
     *     (manifest and line) and the head
     * @throws IllegalArgumentException if no training row has a label
     */
    public static TaskSchema infer(List<Dataset> datasets) {
        Map<String, HeadKind> kinds = new TreeMap<>();
        Map<String, String> firstSeen = new TreeMap<>();
        Map<String, TreeSet<String>> classes = new TreeMap<>();
        List<ManifestException.Problem> problems = new ArrayList<>();
        for (Dataset dataset : datasets) {
            for (ManifestEntry entry : dataset.entries(Split.TRAIN)) {
                for (Map.Entry<String, Label> e : entry.labels().entrySet()) {
                    String head = e.getKey();
                    HeadKind kind = e.getValue().kind();
                    HeadKind known = kinds.putIfAbsent(head, kind);
                    if (known == null) {
                        firstSeen.put(head, entry.location());
                    } else if (known != kind) {
                        if (problems.size() < Manifest.MAX_ERRORS) {
                            problems.add(
                                    new ManifestException.Problem(
                                            entry.manifest().toString(),
                                            entry.line(),
                                            field(head),
                                            "head '"
                                                    + head
                                                    + "' is "
                                                    + kind
                                                    + " here but "
                                                    + known
                                                    + " at "
                                                    + firstSeen.get(head)));
                        }
                        continue;
                    }
                    TreeSet<String> names = classes.computeIfAbsent(head, h -> new TreeSet<>());
                    if (e.getValue() instanceof Label.ClassLabel c) {
                        names.add(c.name());
                    } else if (e.getValue() instanceof Label.MultiLabel m) {
                        names.addAll(m.names());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(problems);
        }
        SortedMap<String, Head> heads = new TreeMap<>();
        for (Map.Entry<String, HeadKind> e : kinds.entrySet()) {
            List<String> names = List.copyOf(classes.get(e.getKey()));
            if (e.getValue() == HeadKind.MULTI_LABEL && names.isEmpty()) {
                throw new IllegalArgumentException(
                        "multi-label head '" + e.getKey() + "' has no class on any training row");
            }
            heads.put(e.getKey(), new Head(e.getValue(), names));
        }
        return new TaskSchema(heads);
    }

    private static String field(String head) {
        return head.equals(Label.DEFAULT_HEAD) ? "label" : "label." + head;
    }

    /** The head called {@code name}; throws {@link IllegalArgumentException} if there is none. */
    public Head head(String name) {
        Head head = heads.get(name);
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
            return JSON.readValue(json, TaskSchema.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a task schema: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
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
