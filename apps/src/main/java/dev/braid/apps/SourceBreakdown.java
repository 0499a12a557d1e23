package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.Evaluator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What fusion adds on the customer-service tickets: each model's test accuracy per task, split by
 * where the ticket states the answer (text, photo or voice note only, several of them, or nowhere;
 * and all tickets), as recorded in the dataset's {@code meta.jsonl} ({@code intent_in}, {@code
 * product_in}, {@code urgency_in}). A model that cannot see where the answer is can only guess
 * there.
 */
final class SourceBreakdown {

    /**
     * One group of test tickets.
     *
     * @param task intent, product or urgency
     * @param statedIn where those tickets state it
     * @param tickets how many there are
     * @param accuracy each model's accuracy on them, by model name
     */
    record Row(String task, String statedIn, int tickets, Map<String, Double> accuracy) {}

    /** The row of all test tickets of a task, first in each task. */
    static final String ALL = "all";

    private SourceBreakdown() {}

    /**
     * Evaluates every model (name to model directory) on every group of {@code data}'s test set.
     */
    static List<Row> measure(Dataset data, Map<String, Path> models, List<String> tasks)
            throws IOException {
        Map<String, JsonNode> meta = readMeta(data.dir().resolve("meta.jsonl"));
        List<Row> rows = new ArrayList<>();
        for (String task : tasks) {
            Map<String, List<ManifestEntry>> groups = new TreeMap<>();
            for (ManifestEntry e : data.entries(Split.TEST)) {
                JsonNode where =
                        meta.containsKey(e.id()) ? meta.get(e.id()).path(task + "_in") : null;
                if (where == null || !where.isArray()) {
                    throw new IllegalArgumentException(
                            data.dir().resolve("meta.jsonl")
                                    + ": no '"
                                    + task
                                    + "_in' for id '"
                                    + e.id()
                                    + "'");
                }
                groups.computeIfAbsent(group(where), g -> new ArrayList<>()).add(e);
            }
            rows.add(new Row(task, ALL, data.entries(Split.TEST).size(), new LinkedHashMap<>()));
            groups.forEach(
                    (statedIn, entries) ->
                            rows.add(
                                    new Row(
                                            task,
                                            statedIn,
                                            entries.size(),
                                            new LinkedHashMap<>())));
        }
        for (Map.Entry<String, Path> model : models.entrySet()) {
            evaluate(model.getKey(), model.getValue(), data, meta, rows);
        }
        return rows;
    }

    /** The table as text, one column per model. */
    static String format(List<Row> rows, List<String> models) {
        StringBuilder s =
                new StringBuilder(String.format("%-9s %-12s %7s", "task", "stated in", "tickets"));
        models.forEach(m -> s.append(String.format(" %12s", shortName(m))));
        s.append('\n');
        for (Row row : rows) {
            s.append(String.format("%-9s %-12s %7d", row.task(), row.statedIn(), row.tickets()));
            models.forEach(m -> s.append(String.format(" %11.1f%%", 100 * row.accuracy().get(m))));
            s.append('\n');
        }
        return s.toString();
    }

    private static void evaluate(
            String name, Path modelDir, Dataset data, Map<String, JsonNode> meta, List<Row> rows)
            throws IOException {
        ModelDirectory description = ModelDirectory.read(modelDir);
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = description.loadModel(modelDir, manager);
            FeatureExtractor features =
                    FeatureExtractor.of(description.tokenizer(modelDir), description.features());
            for (Row row : rows) {
                List<ManifestEntry> entries = new ArrayList<>();
                for (ManifestEntry e : data.entries(Split.TEST)) {
                    if (row.statedIn().equals(ALL)
                            || group(meta.get(e.id()).path(row.task() + "_in"))
                                    .equals(row.statedIn())) {
                        entries.add(e);
                    }
                }
                try (BatchLoader loader =
                        new BatchLoader(
                                SampleSource.of(entries, Order.SEQUENTIAL),
                                features,
                                description.schema(),
                                new BatchLoaderConfig(64, 2, 4, 7))) {
                    row.accuracy()
                            .put(
                                    name,
                                    Evaluator.evaluate(
                                                    model,
                                                    manager,
                                                    loader.epoch(0, 0),
                                                    description.schema(),
                                                    Set.of())
                                            .metric(row.task() + "/accuracy"));
                }
            }
        }
    }

    private static String group(JsonNode where) {
        if (where.isEmpty()) {
            return "nowhere";
        }
        if (where.size() > 1) {
            return "several";
        }
        return where.get(0).asText() + " only";
    }

    private static String shortName(String model) {
        int paren = model.indexOf(" (");
        return paren < 0 ? model : model.substring(0, paren);
    }

    private static Map<String, JsonNode> readMeta(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byId = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                if (!node.path("id").isTextual()) {
                    throw new IllegalArgumentException(file + ":" + number + ": no 'id'");
                }
                byId.put(node.get("id").asText(), node);
            }
        }
        return byId;
    }
}
