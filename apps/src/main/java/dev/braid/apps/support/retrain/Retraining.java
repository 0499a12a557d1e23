package dev.braid.apps.support.retrain;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.apps.logging.Logging;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.support.ModelFingerprint;
import dev.braid.apps.support.SupportModel;
import dev.braid.apps.support.store.CorrectedTickets.Corrected;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.DatasetMix;
import dev.braid.fusion.data.FeatureCache;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.data.TextFeatures;
import dev.braid.fusion.data.layout.DatasetLayout;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyFiles;
import dev.braid.fusion.train.EarlyStopping;
import dev.braid.fusion.train.Evaluation;
import dev.braid.fusion.train.Evaluator;
import dev.braid.fusion.train.FusionTrainer;
import dev.braid.fusion.train.Provenance;
import dev.braid.fusion.train.TrainConfig;
import dev.braid.fusion.train.TrainingListener;
import dev.braid.text.tokenize.Tokenizer;
import dev.braid.vision.image.ImageAugmentation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fine-tunes a customer-service model on its agents' corrections ({@code braid retrain}), read like
 * a script: the parent model and the run that made it; the corrections as rows, some held back; the
 * parent evaluated on its test split and the held-back corrections; training from the parent's
 * weights on a {@link DatasetMix} of its original training data (the replay weight) and the
 * corrections; the same evaluation after; a model directory with the parent's configuration,
 * tokenizer and features.
 *
 * <p>Training keeps the parent's run settings (batch, accumulation, weight decay, augmentation,
 * modality dropout, frozen encoders as they were at its end) at half its peak learning rate. The
 * epoch kept is the one with the lowest validation loss over the original validation split and the
 * corrections trained on; the held-back corrections are first seen by the table. A parent with a
 * reply decoder keeps it, unchanged, and its encoders are frozen, since the decoder reads their
 * tokens. Photos and voice notes go from the database to features in memory; nothing is written
 * outside the output folder (its {@code training/} subfolder holds the run's log and checkpoint,
 * {@code corrections.jsonl} the list of rows, without text or media).
 */
public final class Retraining {

    /**
     * What a retraining produced.
     *
     * @param modelDir the new model directory
     * @param corrections the rows it trained and evaluated on
     * @param testBefore the parent on the original test split
     * @param testAfter the retrained model there
     * @param heldBackBefore the parent on the held-back corrections (null if none were held back)
     * @param heldBackAfter the retrained model there (null likewise)
     * @param training the trainer's summary
     */
    public record Result(
            Path modelDir,
            CorrectionSet corrections,
            Evaluation testBefore,
            Evaluation testAfter,
            Evaluation heldBackBefore,
            Evaluation heldBackAfter,
            FusionTrainer.Result training) {}

    /** The retrained model's provenance field that says how it was made. */
    public static final String FIELD = "retraining";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path parentDir;
    private final Path out;
    private final RetrainSettings settings;
    private final PrintStream log;

    /**
     * A retraining of the model in {@code parentDir} into {@code out}.
     *
     * @param log where progress lines and the summary go
     */
    public Retraining(Path parentDir, Path out, RetrainSettings settings, PrintStream log) {
        this.parentDir = parentDir;
        this.out = out;
        this.settings = settings;
        this.log = log;
    }

    /**
     * Retrains on {@code tickets}, read from the database {@code database} (its URL without
     * password, for the provenance).
     *
     * @throws IllegalArgumentException naming the file or field if the parent is not a
     *     customer-service model made by {@code braid train}, its training data cannot be read, or
     *     no correction is left to train on
     * @throws IOException if a model file cannot be read or written
     */
    public Result run(List<Corrected> tickets, String database, List<TrainingListener> listeners)
            throws IOException {
        ModelDirectory parent = ModelDirectory.read(parentDir);
        RunConfig run = parentRun(parent);
        TaskSchema schema = parent.schema();
        ModelConfig config = parent.config();
        CorrectionSet corrections =
                CorrectionSet.of(
                        tickets,
                        schema,
                        config.modalities(),
                        out.resolve(CorrectionSet.FILE),
                        settings.holdBack(),
                        settings.seed());
        if (corrections.train().isEmpty()) {
            throw new IllegalArgumentException(
                    database
                            + " has "
                            + tickets.size()
                            + " corrected tickets, "
                            + corrections.train().size()
                            + " left to train on"
                            + (corrections.skipped().isEmpty()
                                    ? ""
                                    : " (skipped: " + corrections.skipped() + ")")
                            + "; agents correct tickets on the desk (POST"
                            + " /api/tickets/ID/corrections) before a retraining");
        }
        List<Dataset> original = originalData(run);
        summarise(tickets.size(), corrections, database);
        Files.createDirectories(out);
        corrections.write(tickets);
        Path runDir = out.resolve("training");
        Files.createDirectories(runDir);
        try (Logging.FileLog files = Logging.toFile(runDir.resolve(Logging.RUN_LOG));
                NDManager manager = NDManager.newBaseManager();
                TextFeatures textModel =
                        config.pretrainedText() != null
                                ? config.pretrainedText().features().open()
                                : null) {
            Tokenizer tokenizer = parent.tokenizer(parentDir);
            FeatureExtractor trainFeatures =
                    extractor(
                            new FeatureExtractor(
                                    tokenizer,
                                    parent.features(),
                                    run.augment().image(),
                                    run.augment().audio(),
                                    FeatureCache.none()),
                            run,
                            corrections,
                            textModel);
            FeatureExtractor evalFeatures =
                    extractor(
                            new FeatureExtractor(
                                    tokenizer,
                                    parent.features(),
                                    ImageAugmentation.none(),
                                    FeatureCache.none()),
                            run,
                            corrections,
                            textModel);
            FusionModel model = parent.loadModel(parentDir, manager);
            List<ManifestEntry> test = split(original, Split.TEST);
            log.println("Evaluating the model as it is ...");
            Evaluation testBefore =
                    Evaluator.evaluate(model, manager, test, evalFeatures, schema, Set.of());
            Evaluation heldBefore = heldBack(model, manager, corrections, evalFeatures, schema);

            TrainConfig training = training(run, parent);
            // agents correct routing, not replies: a generation head is not taught here
            TaskSchema routing = routingOnly(schema);
            List<ManifestEntry> validation = new ArrayList<>(split(original, Split.VAL));
            validation.addAll(corrections.train());
            FusionTrainer.Result trained;
            try (BatchLoader trainLoader =
                            new BatchLoader(
                                    mix(original, run, corrections),
                                    trainFeatures,
                                    routing,
                                    BatchLoaderConfig.of(training.batchSize(), settings.seed()));
                    BatchLoader validationLoader =
                            new BatchLoader(
                                    SampleSource.of(validation, Order.SEQUENTIAL),
                                    evalFeatures,
                                    routing,
                                    BatchLoaderConfig.of(64, settings.seed()))) {
                log.printf(
                        "Fine-tuning %d epochs of %d samples (%.0f%% original training data)%n",
                        training.epochs(),
                        settings.epochSize(corrections.train().size()),
                        100 * settings.replayWeight());
                trained =
                        new FusionTrainer(training)
                                .fit(
                                        model,
                                        manager,
                                        trainLoader,
                                        validationLoader,
                                        routing,
                                        runDir,
                                        listeners);
            }
            log.println();
            Evaluation testAfter =
                    Evaluator.evaluate(model, manager, test, evalFeatures, schema, Set.of());
            Evaluation heldAfter = heldBack(model, manager, corrections, evalFeatures, schema);
            Result result =
                    new Result(
                            out,
                            corrections,
                            testBefore,
                            testAfter,
                            heldBefore,
                            heldAfter,
                            trained);
            new ModelDirectory(
                            config,
                            schema,
                            parent.features(),
                            provenance(parent, database, result, tickets.size()))
                    .save(out, model, tokenizer);
            copyAlongside(parentDir, out);
            return result;
        }
    }

    /** The parent's run configuration, from its provenance. */
    private RunConfig parentRun(ModelDirectory parent) throws IOException {
        JsonNode run = parent.provenance().get("run");
        Path manifest = parentDir.resolve(ModelDirectory.MANIFEST);
        if (run == null || !run.isObject()) {
            throw new IllegalArgumentException(
                    manifest
                            + ": provenance.run is missing (the model was not made by braid"
                            + " train), and retraining replays the data that run trained on");
        }
        return RunConfig.parse(run.toString(), List.of(), manifest + " provenance.run");
    }

    /** The datasets the parent was trained on, as its run names them. */
    private List<Dataset> originalData(RunConfig run) {
        List<Dataset> datasets = new ArrayList<>();
        for (int i = 0; i < run.data().size(); i++) {
            String path = run.data().get(i).path();
            try {
                datasets.add(DatasetLayout.read(Path.of(path)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        parentDir.resolve(ModelDirectory.MANIFEST)
                                + ": provenance.run.data["
                                + i
                                + "].path ("
                                + path
                                + ", relative to the working directory) cannot be read, and"
                                + " retraining replays it: "
                                + e.getMessage(),
                        e);
            }
        }
        return datasets;
    }

    private void summarise(int read, CorrectionSet c, String database) {
        log.printf(
                "Read %d corrected tickets from %s (%d changed the model's answer): %d to train"
                        + " on, %d held back%s%s%n",
                read,
                database,
                c.changed(),
                c.train().size(),
                c.heldBack().size(),
                c.textOnly() == 0
                        ? ""
                        : "; "
                                + c.textOnly()
                                + " without the photo or voice note retention deleted",
                c.skipped().isEmpty() ? "" : "; skipped: " + c.skipped());
    }

    private static FeatureExtractor extractor(
            FeatureExtractor base, RunConfig run, CorrectionSet c, TextFeatures textModel) {
        FeatureExtractor e =
                base.withDecoding(run.features().imageDecoding()).withMediaInMemory(c.media());
        return textModel != null ? e.withTextFeatures(textModel) : e;
    }

    private static List<ManifestEntry> split(List<Dataset> datasets, Split split) {
        List<ManifestEntry> entries = new ArrayList<>();
        datasets.forEach(d -> entries.addAll(d.entries(split)));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(
                    "the model's training data has no '"
                            + split.manifestValue()
                            + "' rows to evaluate on");
        }
        return entries;
    }

    private static Evaluation heldBack(
            FusionModel model,
            NDManager manager,
            CorrectionSet c,
            FeatureExtractor features,
            TaskSchema schema) {
        return c.heldBack().isEmpty()
                ? null
                : Evaluator.evaluate(model, manager, c.heldBack(), features, schema, Set.of());
    }

    /** The schema's routing heads, without its generation heads. */
    private static TaskSchema routingOnly(TaskSchema schema) {
        java.util.TreeMap<String, HeadSpec> heads = new java.util.TreeMap<>();
        schema.heads()
                .forEach(
                        (name, head) -> {
                            if (!head.generates()) {
                                heads.put(name, head);
                            }
                        });
        return new TaskSchema(heads);
    }

    /**
     * The parent's training settings for fine-tuning: this retraining's epochs and seed, half the
     * peak learning rate, no early stop (the best epoch is still kept), the encoders frozen that
     * were frozen at the parent's end, and every encoder if a reply decoder reads them.
     */
    private TrainConfig training(RunConfig run, ModelDirectory parent) {
        TrainConfig p = run.training();
        boolean unfrozeDuringRun = p.unfreezeEpoch() >= 0 && p.unfreezeEpoch() < p.epochs();
        Set<Modality> frozen = new TreeSet<>(unfrozeDuringRun ? Set.of() : p.frozenEncoders());
        if (ReplyFiles.exists(parentDir) || !parent.config().replyHeads().isEmpty()) {
            frozen.addAll(parent.config().modalities());
            log.println(
                    "The model has a reply decoder: its encoders stay frozen (the decoder reads"
                            + " their tokens) and it is kept unchanged.");
        }
        return p.toBuilder()
                .epochs(settings.epochs())
                .seed(settings.seed())
                .learningRate(p.learningRate() / 2)
                .patience(0)
                .maxSteps(0)
                .earlyStoppingMetric(EarlyStopping.Metric.of("loss"))
                .frozenEncoders(frozen)
                .unfreezeEpoch(-1)
                .build();
    }

    /**
     * Each epoch: {@code replayWeight} of it drawn from the original training rows (their datasets
     * weighted as the parent's run weighted them), the rest from the corrections.
     */
    private SampleSource mix(List<Dataset> original, RunConfig run, CorrectionSet c) {
        int size = settings.epochSize(c.train().size());
        Dataset corrections = new Dataset("corrections", out, c.train());
        if (settings.replayWeight() == 0) {
            return new DatasetMix(List.of(new DatasetMix.Part(corrections, 1)), Split.TRAIN, size);
        }
        double total = run.data().stream().mapToDouble(RunConfig.DataSource::weight).sum();
        List<DatasetMix.Part> parts = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            double share = run.data().get(i).weight() / total;
            parts.add(new DatasetMix.Part(original.get(i), settings.replayWeight() * share));
        }
        parts.add(new DatasetMix.Part(corrections, 1 - settings.replayWeight()));
        return new DatasetMix(parts, Split.TRAIN, size);
    }

    /**
     * The parent's provenance with {@link #FIELD}: the parent (directory, fingerprint as the desk
     * names models), the database, the corrections, the settings, the training and the table.
     */
    private JsonNode provenance(
            ModelDirectory parent, String database, Result result, int corrected)
            throws IOException {
        ObjectNode p =
                parent.provenance().isObject()
                        ? ((ObjectNode) parent.provenance()).deepCopy()
                        : JsonNodeFactory.instance.objectNode();
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("at", Instant.now().toString());
        record.put("braidVersion", ModelDirectory.BRAID_VERSION);
        ObjectNode from = record.putObject("parent");
        from.put("directory", parentDir.toString());
        from.put("fingerprint", ModelFingerprint.of(parentDir));
        JsonNode earlier = p.get(FIELD);
        if (earlier != null) {
            from.set(FIELD, earlier); // the parent was retrained itself
        }
        record.put("database", database);
        ObjectNode c = record.putObject("corrections");
        c.put("tickets", corrected);
        c.put("trained", result.corrections().train().size());
        c.put("heldBack", result.corrections().heldBack().size());
        c.put("changed", result.corrections().changed());
        c.put("textOnly", result.corrections().textOnly());
        c.set("skipped", JSON.valueToTree(result.corrections().skipped()));
        c.set(
                "fingerprint",
                JSON.valueToTree(
                        Provenance.DatasetFingerprint.of(out.resolve(CorrectionSet.FILE))));
        record.set("settings", JSON.valueToTree(settings));
        record.set("training", JSON.valueToTree(result.training().provenance()));
        ObjectNode metrics = record.putObject("metrics");
        metrics.set("testBefore", headline(result.testBefore()));
        metrics.set("testAfter", headline(result.testAfter()));
        metrics.set("heldBackBefore", headline(result.heldBackBefore()));
        metrics.set("heldBackAfter", headline(result.heldBackAfter()));
        p.set(FIELD, record);
        return p;
    }

    private static JsonNode headline(Evaluation e) {
        return e == null
                ? JsonNodeFactory.instance.nullNode()
                : JSON.valueToTree(Evaluation.headline(e.metrics()));
    }

    /** The parent's reply templates and reply decoder, if it has them, so the new model serves. */
    private static void copyAlongside(Path parentDir, Path out) throws IOException {
        for (String name :
                List.of(SupportModel.REPLIES, ReplyFiles.DESCRIPTION, ReplyFiles.PARAMETERS)) {
            Path file = parentDir.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.copy(file, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
