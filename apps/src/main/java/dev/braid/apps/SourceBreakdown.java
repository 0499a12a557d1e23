package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
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

    /** The test tickets of one row, found once and scored by every model. */
    private record Group(String task, String statedIn, List<ManifestEntry> entries) {}

    /**
     * Evaluates every model (name to model directory) on every group of {@code data}'s test set.
     */
    static List<Row> measure(Dataset data, Map<String, Path> models, List<String> tasks)
            throws IOException {
        Map<String, JsonNode> meta = readMeta(data.dir().resolve("meta.jsonl"));
        List<ManifestEntry> test = data.entries(Split.TEST);
        List<Group> groups = new ArrayList<>();
        for (String task : tasks) {
            Map<String, List<ManifestEntry>> byWhere = new TreeMap<>();
            for (ManifestEntry e : test) {
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
                byWhere.computeIfAbsent(group(where), g -> new ArrayList<>()).add(e);
            }
            groups.add(new Group(task, ALL, test));
            byWhere.forEach((statedIn, entries) -> groups.add(new Group(task, statedIn, entries)));
        }
        List<Row> rows = new ArrayList<>();
        for (Group g : groups) {
            rows.add(new Row(g.task(), g.statedIn(), g.entries().size(), new LinkedHashMap<>()));
        }
        for (Map.Entry<String, Path> model : models.entrySet()) {
            ModelDirectory description = ModelDirectory.read(model.getValue());
            ModelConfig.PretrainedText pretrained = description.config().pretrainedText();
            try (NDManager manager = NDManager.newBaseManager();
                    TextFeatures textModel =
                            pretrained == null ? null : pretrained.features().open()) {
                FusionModel fusionModel = description.loadModel(model.getValue(), manager);
                FeatureExtractor features =
                        FeatureExtractor.of(
                                description.tokenizer(model.getValue()), description.features());
                if (textModel != null) {
                    features = features.withTextFeatures(textModel);
                }
                for (int i = 0; i < groups.size(); i++) {
                    Group g = groups.get(i);
                    double accuracy =
                            Evaluator.evaluate(
                                            fusionModel,
                                            manager,
                                            g.entries(),
                                            features,
                                            description.schema(),
                                            Set.of())
                                    .metric(g.task() + "/accuracy");
                    rows.get(i).accuracy().put(model.getKey(), accuracy);
                }
            }
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
