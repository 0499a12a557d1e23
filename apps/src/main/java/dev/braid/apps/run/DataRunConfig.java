package dev.braid.apps.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.inspect.FeatureChoice;
import dev.braid.fusion.data.layout.DatasetLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The run configuration for a dataset and nothing else ({@code braid train --data}, {@code braid
 * init}): the modalities its training split has, every feature setting derived from that split,
 * gated cross-attention, and the training settings the shipped configurations use (8 epochs of 32
 * samples a step, two micro-batches of 16, early stopping on the validation loss, which every kind
 * of head has). Heads come from the labels, as in any run.
 */
public final class DataRunConfig {

    private static final ObjectMapper YAML =
            new ObjectMapper(
                    new YAMLFactory()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private DataRunConfig() {}

    /**
     * The configuration for {@code data}.
     *
     * @param data a dataset in any layout ({@link DatasetLayout})
     * @param modalities the modalities to read; empty for those the training split has
     * @param overrides {@code key.path=value} changes, applied last
     */
    public static RunConfig of(Path data, List<Modality> modalities, List<String> overrides)
            throws IOException {
        return RunConfig.parse(
                YAML.writeValueAsString(tree(data, modalities)), overrides, data.toString());
    }

    /**
     * The configuration {@code braid init} writes: {@link #of}'s, with the derived feature settings
     * written out and each one's reason as a comment, to edit.
     */
    public static String yaml(Path data, List<Modality> modalities, List<String> overrides)
            throws IOException {
        TrainingRun run = new TrainingRun(of(data, modalities, overrides));
        ObjectNode tree = tree(data, modalities);
        tree.set("features", YAML.valueToTree(run.features()));
        StringBuilder out = new StringBuilder();
        out.append("# braid train --config THIS_FILE\n");
        out.append("# Written by braid init for ")
                .append(data)
                .append(". Feature settings derived from its\n");
        out.append("# training split (delete one to derive it again when you train):\n");
        for (FeatureChoice c : run.derivedFeatures()) {
            out.append("#   ")
                    .append(c.field())
                    .append(" = ")
                    .append(c.value())
                    .append(": ")
                    .append(c.reason())
                    .append('\n');
        }
        out.append(
                "# Every field not written here keeps its default (see RunConfig.defaults()).\n");
        return out + YAML.writeValueAsString(tree);
    }

    private static ObjectNode tree(Path data, List<Modality> modalities) {
        Dataset dataset = DatasetLayout.read(data);
        ObjectNode tree = YAML.createObjectNode();
        tree.put("name", dataset.name());
        tree.putArray("data").addObject().put("path", data.toString()).put("weight", 1.0);
        ObjectNode model = tree.putObject("model");
        List<Modality> read = modalities.isEmpty() ? present(dataset) : modalities;
        model.set("modalities", YAML.valueToTree(read));
        tree.putObject("training")
                .put("epochs", 8)
                .put("batchSize", 16)
                .put("accumulation", 2)
                .put("learningRate", 0.002)
                .put("weightDecay", 0.05)
                .put("modalityDropout", 0.1)
                .put("earlyStoppingMetric", "loss");
        tree.put("output", "runs/" + dataset.name());
        return tree;
    }

    /** The modalities with a value in some training row (an empty text is no value). */
    static List<Modality> present(Dataset dataset) {
        List<ManifestEntry> train = dataset.entries(Split.TRAIN);
        List<Modality> found =
                Modality.values().stream()
                        .filter(
                                m ->
                                        train.stream()
                                                .anyMatch(
                                                        e ->
                                                                e.has(m)
                                                                        && !(m == Modality.TEXT
                                                                                && e.inputs()
                                                                                        .get(m)
                                                                                        .isBlank())))
                        .toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException(
                    dataset.name()
                            + ": its training split has no row with a modality to learn from");
        }
        return found;
    }
}
