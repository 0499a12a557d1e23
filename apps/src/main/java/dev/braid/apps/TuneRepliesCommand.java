package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.apps.support.ReplyPreferences;
import dev.braid.apps.support.store.Database;
import dev.braid.apps.support.store.ReplyFeedback;
import dev.braid.apps.support.store.StorageException;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.files.AtomicFile;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.predict.FusionPredictor;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.fusion.predict.ReplyFiles;
import dev.braid.fusion.train.DirectPreference;
import dev.braid.fusion.train.ModelFiles;
import dev.braid.fusion.train.PreferenceTrainer;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid tune-replies --from-db URL --model DIR --out DIR}: Direct Preference Optimization of
 * a model's reply head on the desk's corrections. Each edited reply is preferred over the reply the
 * model suggested for the same ticket ({@link ReplyPreferences}); the serving model's reply head is
 * the policy, a second copy of it the frozen reference, and only the reply head learns ({@link
 * PreferenceTrainer}). Held-out corrected tickets measure, before and after, how often the greedy
 * reply names the product and promises the urgency the agent settled on and copies the message's
 * order number. {@code --out} gets the model directory with the tuned head, its provenance saying
 * how it was made.
 */
@Command(
        name = "tune-replies",
        mixinStandardHelpOptions = true,
        description =
                "Tune a model's reply generator on the agents' edited replies (DPO) and measure it"
                        + " on held-out corrected tickets.")
final class TuneRepliesCommand implements Callable<Integer> {

    @Option(
            names = "--from-db",
            required = true,
            description =
                    "The desk database: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB, the"
                            + " password in the environment variable BRAID_DB_PASSWORD.")
    String db;

    @Option(names = "--db-user", description = "The database user (PostgreSQL).")
    String dbUser;

    @Option(names = "--model", required = true, description = "The serving model directory.")
    Path model;

    @Option(names = "--out", required = true, description = "Where the tuned model is written.")
    Path out;

    @Option(
            names = "--beta",
            defaultValue = "0.1",
            description = "DPO's beta: larger keeps the tuned replies nearer the model's.")
    float beta;

    @Option(
            names = "--nll-weight",
            defaultValue = "1",
            description =
                    "Weight of the edited reply's log-likelihood per token added to the DPO loss"
                            + " (RPO); 0 for DPO alone.")
    float nllWeight;

    @Option(names = "--steps", defaultValue = "200", description = "Optimiser steps.")
    int steps;

    @Option(names = "--rate", defaultValue = "0.002", description = "AdamW's learning rate.")
    float rate;

    @Option(names = "--batch-size", defaultValue = "8", description = "Pairs per step.")
    int batchSize;

    @Option(
            names = "--holdout",
            defaultValue = "0.2",
            description = "The share of corrected tickets held out to measure on.")
    double holdout;

    @Option(names = "--seed", defaultValue = "7", description = "Seeds the order of the pairs.")
    long seed;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        try {
            DirectPreference.checkBeta(beta);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
        if (!(nllWeight >= 0 && Float.isFinite(nllWeight))) {
            throw new IllegalArgumentException("--nll-weight " + nllWeight + ": must be 0 or more");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps " + steps + ": must be at least 1");
        }
        if (!(rate > 0 && Float.isFinite(rate))) {
            throw new IllegalArgumentException("--rate " + rate + ": must be positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    "--batch-size " + batchSize + ": must be at least 1");
        }
        if (!(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("--holdout " + holdout + ": must be in [0, 1)");
        }
        ModelDirectory description = ModelDirectory.read(model);
        if (!ReplyFiles.exists(model) && description.config().replyHeads().isEmpty()) {
            throw new IllegalArgumentException(
                    "--model "
                            + model
                            + ": the model has no reply head (no GENERATION head, no "
                            + ReplyFiles.DESCRIPTION
                            + "); train one with braid replies");
        }
        if (Files.exists(out) && Files.isSameFile(out, model)) {
            throw new IllegalArgumentException(
                    "--out " + out + ": is the model directory; give a new folder");
        }
        StoreSettings store = store();
        List<ReplyFeedback.Corrected> corrected;
        try (Database database = Database.open(store)) {
            corrected = new ReplyFeedback(database).corrected();
        } catch (StorageException e) {
            throw new IllegalArgumentException(
                    "--from-db " + store.safeUrl() + ": " + e.getMessage(), e);
        }
        ReplyPreferences.Split split = ReplyPreferences.split(corrected, holdout);
        if (split.pairs().isEmpty()) {
            throw new IllegalArgumentException(
                    "--from-db "
                            + store.safeUrl()
                            + ": no preference pairs: "
                            + split.corrected()
                            + " corrected tickets, "
                            + split.edited()
                            + " with an edited reply, "
                            + split.heldOut().size()
                            + " held out; agents edit suggested replies on the desk first");
        }
        System.out.printf(
                "%s: %d corrected tickets (%d edited, %d accepted); %d preference pairs, %d"
                        + " held-out tickets%n",
                store.safeUrl(),
                split.corrected(),
                split.edited(),
                split.accepted(),
                split.pairs().size(),
                split.heldOut().size());

        Tokenizer tokenizer = description.tokenizer(model);
        ModelConfig.PretrainedText pretrained = description.config().pretrainedText();
        TextFeatures textModel = pretrained == null ? null : pretrained.features().open();
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel fusion = description.loadModel(model, manager);
            FeatureExtractor extractor = FeatureExtractor.of(tokenizer, description.features());
            if (textModel != null) {
                extractor = extractor.withTextFeatures(textModel);
            }
            Collator collator = Collator.of(description.schema(), extractor);
            ReplyHead policy =
                    FusionPredictor.replyHead(model, manager, fusion, description.features());
            // the reference is a second, frozen copy of the same weights
            ReplyHead reference =
                    FusionPredictor.replyHead(
                            model,
                            manager,
                            description.loadModel(model, manager),
                            description.features());
            int maxReplyTokens = policy.config().maxLength() - 1;

            List<PreferenceTrainer.Pair> pairs = new ArrayList<>();
            for (ReplyPreferences.Pair p : split.pairs()) {
                Row row = row(p.ticket(), fusion, extractor, pairs.size());
                pairs.add(
                        new PreferenceTrainer.Pair(
                                row.sample(),
                                row.features(),
                                tokenizer.encode(p.chosen()),
                                tokenizer.encode(p.rejected())));
            }
            List<Row> heldOut = new ArrayList<>();
            for (ReplyFeedback.Corrected t : split.heldOut()) {
                heldOut.add(row(t, fusion, extractor, heldOut.size()));
            }
            GenerationConfig greedy =
                    GenerationConfig.builder()
                            .stopTokens(tokenizer.specialTokens().sep())
                            .maxNewTokens(maxReplyTokens)
                            .build();
            ReplyPreferences.Facts before =
                    facts(split, heldOut, fusion, policy, tokenizer, collator, greedy, manager);

            long start = System.nanoTime();
            PreferenceTrainer.Config config =
                    new PreferenceTrainer.Config(
                            steps, batchSize, rate, beta, nllWeight, maxReplyTokens, seed);
            float[] losses =
                    new PreferenceTrainer(config)
                            .train(
                                    fusion,
                                    policy,
                                    reference,
                                    pairs,
                                    collator,
                                    tokenizer.specialTokens(),
                                    manager,
                                    s -> {
                                        if (s.step() % 20 == 0 || s.step() == s.steps() - 1) {
                                            System.out.printf(
                                                    "step %4d/%d  DPO loss %.4f  edited-reply"
                                                            + " NLL %.3f  pairs ranked right"
                                                            + " %3.0f%%  margin %+.3f%n",
                                                    s.step() + 1,
                                                    s.steps(),
                                                    s.loss(),
                                                    s.nll(),
                                                    100 * s.accuracy(),
                                                    s.margin());
                                        }
                                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            ReplyPreferences.Facts after =
                    facts(split, heldOut, fusion, policy, tokenizer, collator, greedy, manager);

            System.out.printf(
                    "%nheld-out tickets: %d (%d give an order number)%n",
                    before.tickets(), before.withOrder());
            System.out.printf("%-16s %8s %8s %13s%n", "", "product", "urgency", "order copied");
            print("before tuning", before);
            print("after tuning", after);

            save(store, split, config, losses, seconds, before, after, policy, fusion);
            System.out.printf("tuned in %.0f s; saved %s%n", seconds, out);
        } finally {
            if (textModel != null) {
                textModel.close();
            }
        }
        return 0;
    }

    private StoreSettings store() {
        if (!db.startsWith("jdbc:sqlite:") && !db.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "--from-db "
                            + db
                            + ": give jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
        }
        StoreSettings settings =
                new StoreSettings(
                        db, dbUser, System.getenv("BRAID_DB_PASSWORD"), StoreSettings.KEEP_MEDIA);
        if (settings.sqlite()) {
            Path file = Path.of(db.substring("jdbc:sqlite:".length()));
            if (!Files.isRegularFile(file)) {
                // opening would create an empty desk database there
                throw new IllegalArgumentException("--from-db " + db + ": no such file " + file);
            }
        }
        return settings;
    }

    /** A stored ticket as a collatable row, with only the inputs the model reads. */
    private record Row(ReplyFeedback.Corrected ticket, Sample sample, SampleFeatures features) {}

    private static Row row(
            ReplyFeedback.Corrected t, FusionModel model, FeatureExtractor extractor, int index) {
        List<Modality> reads = model.config().modalities();
        String text = reads.contains(Modality.TEXT) ? t.text() : null;
        byte[] image = reads.contains(Modality.IMAGE) ? t.image() : null;
        byte[] audio = reads.contains(Modality.AUDIO) ? t.audio() : null;
        Map<Modality, String> given = new TreeMap<>();
        if (text != null) {
            given.put(Modality.TEXT, Modality.TEXT.name());
        }
        if (image != null) {
            given.put(Modality.IMAGE, Modality.IMAGE.name());
        }
        if (audio != null) {
            given.put(Modality.AUDIO, Modality.AUDIO.name());
        }
        if (given.isEmpty()) {
            throw new IllegalArgumentException(
                    "ticket "
                            + t.id()
                            + ": none of the inputs the model reads "
                            + reads
                            + " is kept");
        }
        SampleFeatures features = extractor.extract(text, image, audio);
        ManifestEntry entry =
                new ManifestEntry(Path.of("desk"), index + 1, t.id(), given, Map.of(), Split.TRAIN);
        return new Row(t, new Sample(0, entry), features);
    }

    /** The held-out tickets' greedy replies, scored. */
    private static ReplyPreferences.Facts facts(
            ReplyPreferences.Split split,
            List<Row> heldOut,
            FusionModel model,
            ReplyHead head,
            Tokenizer tokenizer,
            Collator collator,
            GenerationConfig greedy,
            NDManager manager) {
        List<String> replies = new ArrayList<>();
        for (int from = 0; from < heldOut.size(); from += 16) {
            List<Row> some = heldOut.subList(from, Math.min(from + 16, heldOut.size()));
            Batch batch =
                    collator.collate(
                            some.stream().map(Row::sample).toList(),
                            some.stream().map(Row::features).toList());
            for (Generated g :
                    ReplyDecoding.generate(model, head, tokenizer, batch, greedy, manager, null)
                            .replies()) {
                replies.add(g.text());
            }
        }
        return ReplyPreferences.facts(split.heldOut(), replies);
    }

    private static void print(String name, ReplyPreferences.Facts f) {
        System.out.printf(
                "%-16s %7.1f%% %7.1f%% %12.1f%%%n",
                name, 100 * f.productShare(), 100 * f.urgencyShare(), 100 * f.orderShare());
    }

    /**
     * The model directory with the tuned head: every file of {@code --model} copied, the reply
     * head's weights replaced, and {@code model.json}'s provenance saying how it was tuned from
     * what.
     */
    private void save(
            StoreSettings store,
            ReplyPreferences.Split split,
            PreferenceTrainer.Config config,
            float[] losses,
            double seconds,
            ReplyPreferences.Facts before,
            ReplyPreferences.Facts after,
            ReplyHead policy,
            FusionModel fusion)
            throws IOException {
        Files.createDirectories(out);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, out.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (ReplyFiles.exists(model)) {
            ReplyFiles.save(out, policy);
        } else { // the head is the model's own: its weights are in the model's
            ModelFiles.saveParameters(fusion, out.resolve(ModelDirectory.PARAMETERS));
        }
        Path manifest = out.resolve(ModelDirectory.MANIFEST);
        ObjectNode root = (ObjectNode) JSON.readTree(manifest.toFile());
        JsonNode original = root.path("provenance");
        ObjectNode provenance = JSON.createObjectNode();
        provenance.put("braidVersion", ModelDirectory.BRAID_VERSION);
        ObjectNode from = provenance.putObject("tunedFrom");
        from.put("model", model.toAbsolutePath().toString());
        from.put("fingerprint", ReplyPreferences.fingerprint(model));
        from.set("provenance", original);
        ObjectNode tuning = provenance.putObject("preferenceTuning");
        tuning.put("method", "DPO");
        tuning.put("database", store.safeUrl());
        tuning.put("correctedTickets", split.corrected());
        tuning.put("editedReplies", split.edited());
        tuning.put("acceptedReplies", split.accepted());
        tuning.put("pairs", split.pairs().size());
        tuning.put("pairsSha256", pairsFingerprint(split.pairs()));
        tuning.put("heldOut", split.heldOut().size());
        tuning.put("holdout", holdout);
        tuning.put("beta", config.beta());
        tuning.put("nllWeight", config.nllWeight());
        tuning.put("steps", config.steps());
        tuning.put("batchSize", config.batchSize());
        tuning.put("learningRate", config.learningRate());
        tuning.put("maxReplyTokens", config.maxReplyTokens());
        tuning.put("seed", config.seed());
        tuning.put("firstLoss", losses[0]);
        tuning.put("lastLoss", losses[losses.length - 1]);
        tuning.put("seconds", seconds);
        tuning.set("before", JSON.valueToTree(facts(before)));
        tuning.set("after", JSON.valueToTree(facts(after)));
        root.set("provenance", provenance);
        AtomicFile.write(manifest, JSON.writeValueAsBytes(root));
    }

    private static Map<String, Object> facts(ReplyPreferences.Facts f) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tickets", f.tickets());
        m.put("productRight", f.product());
        m.put("urgencyRight", f.urgency());
        m.put("ticketsWithOrder", f.withOrder());
        m.put("orderRight", f.order());
        return m;
    }

    /** SHA-256 over every pair's ticket id and both replies, in order. */
    private static String pairsFingerprint(List<ReplyPreferences.Pair> pairs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ReplyPreferences.Pair p : pairs) {
                for (String s : List.of(p.ticket().id(), p.chosen(), p.rejected())) {
                    sha.update(s.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }
}
