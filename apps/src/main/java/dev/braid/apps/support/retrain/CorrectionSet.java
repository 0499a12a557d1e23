package dev.braid.apps.support.retrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.apps.support.store.CorrectedTickets.Corrected;
import dev.braid.apps.support.store.Correction;
import dev.braid.apps.support.store.StoredTicket;
import dev.braid.files.AtomicFile;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The corrected tickets as manifest rows for one model: the agent's labels (which win over the
 * model's), the inputs the model reads, the photo and voice-note bytes held in memory ({@link
 * #media()}, for {@code FeatureExtractor.withMediaInMemory}), and a seeded share held back ({@link
 * Split#TEST}) from the rows trained on ({@link Split#TRAIN}).
 *
 * <p>A ticket whose photo or voice note retention deleted trains and is evaluated on what is left,
 * its text: the model meets such tickets when customers send text alone, and modality dropout
 * trained it to. A ticket left with no input the model reads, or whose correction names a class the
 * model does not have, is skipped and counted.
 *
 * <p>The rows' manifest is {@code corrections.jsonl}, written by {@link #write}: one line a ticket
 * with its id, split, labels, agent, time and which inputs it has, never the text or the media; it
 * is what the retrained model's provenance fingerprints, and row {@code i} is its line {@code i+1}.
 *
 * @param train the rows trained on
 * @param heldBack the rows held back, evaluated before and after
 * @param media the photo and voice-note bytes by the rows' input names
 * @param changed how many of all rows' corrections changed at least one of the model's answers
 * @param textOnly how many rows lost a photo or voice note to retention
 * @param skipped why tickets were left out, with counts
 */
public record CorrectionSet(
        List<ManifestEntry> train,
        List<ManifestEntry> heldBack,
        Map<String, byte[]> media,
        int changed,
        int textOnly,
        Map<String, Integer> skipped) {

    /** The file, in the output folder, that lists the rows. */
    public static final String FILE = "corrections.jsonl";

    /** The correction fields by the head names the customer-service model has. */
    static final List<String> HEADS = List.of("intent", "product", "urgency");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The rows of {@code tickets} for a model with {@code schema} reading {@code modalities}.
     *
     * @param manifest where {@link #write} will put the list (the rows' manifest)
     * @param holdBack the share held back, drawn with {@code seed} from the tickets in id order
     * @throws IllegalArgumentException if the schema has none of the heads corrections label
     */
    public static CorrectionSet of(
            List<Corrected> tickets,
            TaskSchema schema,
            List<Modality> modalities,
            Path manifest,
            double holdBack,
            long seed) {
        List<String> heads = HEADS.stream().filter(schema.heads()::containsKey).toList();
        if (heads.isEmpty()) {
            throw new IllegalArgumentException(
                    "the model's heads are "
                            + schema.heads().keySet()
                            + ", but the desk's corrections label "
                            + HEADS
                            + ": not a customer-service model");
        }
        List<Corrected> usable = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (Corrected t : tickets) {
            String problem = problem(t, schema, heads, modalities);
            if (problem == null) {
                usable.add(t);
            } else {
                skipped.merge(problem, 1, Integer::sum);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(new SplittableRandom(seed).nextLong()));
        int held = (int) Math.round(holdBack * usable.size());
        boolean[] isHeld = new boolean[usable.size()];
        for (int i = 0; i < held; i++) {
            isHeld[order.get(i)] = true;
        }
        List<ManifestEntry> train = new ArrayList<>();
        List<ManifestEntry> heldBack = new ArrayList<>();
        Map<String, byte[]> media = new HashMap<>();
        int changed = 0;
        int textOnly = 0;
        for (int i = 0; i < usable.size(); i++) {
            Corrected t = usable.get(i);
            StoredTicket ticket = t.ticket();
            Map<Modality, String> inputs = new TreeMap<>();
            if (ticket.text() != null && modalities.contains(Modality.TEXT)) {
                inputs.put(Modality.TEXT, ticket.text());
            }
            if (t.photo() != null && modalities.contains(Modality.IMAGE)) {
                String name = "desk:" + ticket.id() + "/photo";
                inputs.put(Modality.IMAGE, name);
                media.put(name, t.photo());
            }
            if (t.voice() != null && modalities.contains(Modality.AUDIO)) {
                String name = "desk:" + ticket.id() + "/voice";
                inputs.put(Modality.AUDIO, name);
                media.put(name, t.voice());
            }
            if (lostMedia(t, modalities)) {
                textOnly++;
            }
            if (changes(ticket)) {
                changed++;
            }
            Map<String, Label> labels = new TreeMap<>();
            for (String head : heads) {
                labels.put(head, new Label.ClassLabel(label(ticket.correction(), head)));
            }
            ManifestEntry entry =
                    new ManifestEntry(
                            manifest,
                            i + 1,
                            ticket.id(),
                            inputs,
                            labels,
                            isHeld[i] ? Split.TEST : Split.TRAIN);
            (isHeld[i] ? heldBack : train).add(entry);
        }
        return new CorrectionSet(train, heldBack, media, changed, textOnly, skipped);
    }

    /** Why a ticket cannot be used, or null if it can. */
    private static String problem(
            Corrected t, TaskSchema schema, List<String> heads, List<Modality> modalities) {
        for (String head : heads) {
            HeadSpec spec = schema.head(head);
            String value = label(t.correction(), head);
            if (!spec.classes().contains(value)) {
                return "a " + head + " the model does not know";
            }
        }
        boolean text = t.ticket().text() != null && modalities.contains(Modality.TEXT);
        boolean photo = t.photo() != null && modalities.contains(Modality.IMAGE);
        boolean voice = t.voice() != null && modalities.contains(Modality.AUDIO);
        return text || photo || voice ? null : "no input the model reads is left";
    }

    private static boolean lostMedia(Corrected t, List<Modality> modalities) {
        return (t.ticket().photo() == StoredTicket.Media.EXPIRED
                        && modalities.contains(Modality.IMAGE))
                || (t.ticket().voice() == StoredTicket.Media.EXPIRED
                        && modalities.contains(Modality.AUDIO));
    }

    /** Whether the agent changed at least one of the model's answers. */
    private static boolean changes(StoredTicket t) {
        Correction c = t.correction();
        return !c.intent().equals(t.intent().label())
                || !c.product().equals(t.product().label())
                || !c.urgency().equals(t.urgency().label());
    }

    static String label(Correction c, String head) {
        return switch (head) {
            case "intent" -> c.intent();
            case "product" -> c.product();
            case "urgency" -> c.urgency();
            default -> throw new IllegalArgumentException("no correction field " + head);
        };
    }

    /** All rows, trained on and held back, in line order. */
    public List<ManifestEntry> rows() {
        List<ManifestEntry> all = new ArrayList<>(train);
        all.addAll(heldBack);
        all.sort(java.util.Comparator.comparingInt(ManifestEntry::line));
        return all;
    }

    /**
     * Writes the list of rows to their manifest path: ids, splits, labels and inputs, no text or
     * media.
     */
    public void write(List<Corrected> tickets) throws IOException {
        Map<String, Corrected> byId = new LinkedHashMap<>();
        tickets.forEach(t -> byId.put(t.ticket().id(), t));
        StringBuilder lines = new StringBuilder();
        Path file = null;
        for (ManifestEntry e : rows()) {
            file = e.manifest();
            Correction c = byId.get(e.id()).correction();
            ObjectNode line = JSON.createObjectNode();
            line.put("ticket", e.id());
            line.put("split", e.split() == Split.TEST ? "held-back" : "train");
            ObjectNode labels = line.putObject("label");
            e.labels()
                    .forEach((head, label) -> labels.put(head, ((Label.ClassLabel) label).name()));
            line.put("agent", c.agent());
            line.put("correctedAt", c.at().toString());
            ArrayNode inputs = line.putArray("inputs");
            e.inputs().keySet().forEach(m -> inputs.add(m.name()));
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        if (file != null) {
            AtomicFile.write(file, lines.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
