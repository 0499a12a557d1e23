package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.apps.support.ReferenceReplies;
import dev.braid.apps.support.ReplyTemplates;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.Collator;
import dev.braid.fusion.data.Dataset;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.Label;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.SampleFeatures;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.metrics.TextOverlap;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.model.ReplyMemory;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.fusion.train.ConsoleProgress;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid replies [--config support-fused] [--steps N] [--out DIR]}: trains a reply generator
 * on the training tickets of a customer-service dataset with reference replies ({@code
 * replies.jsonl}): the configuration's run, its tickets labelled with their replies as a head
 * declared {@code GENERATION} (a {@link ReplyHead} over the encoders, multi-task with the
 * classification heads), trained by {@code FusionTrainer} and saved by {@link TrainingRun} like any
 * run; then measures it on the test tickets against the references: token loss and perplexity, chrF
 * and BLEU (the evaluator's), product / urgency / copied order number right, and milliseconds per
 * token with and without the key/value cache; the reply templates filled with the same model's
 * predicted labels are measured alongside.
 */
@Command(
        name = "replies",
        mixinStandardHelpOptions = true,
        description =
                "Train a reply generator on customer-service tickets and measure it on the test"
                        + " split.")
final class RepliesCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            defaultValue = "support-fused",
            description =
                    "A ready-made configuration or a YAML file; its data must have replies.jsonl"
                            + " (default: ${DEFAULT-VALUE}; support-text-only for the text-only"
                            + " decoder).")
    String config;

    @Option(names = "--set", description = "Override one configuration field (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "400", description = "Optimiser steps.")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "Tickets per step.")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.002", description = "AdamW's.")
    float learningRate;

    @Option(names = "--decoder-width", defaultValue = "64", description = "Decoder width D.")
    int decoderWidth;

    @Option(names = "--decoder-layers", defaultValue = "2", description = "Decoder layers.")
    int decoderLayers;

    @Option(
            names = "--classification-weight",
            defaultValue = "1",
            description = "Weight of the classification heads' loss; 0 trains the reply alone.")
    float classificationWeight;

    @Option(
            names = "--copy",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Let the decoder copy tokens of the message (order numbers) through a pointer"
                            + " over the text's tokens; --no-copy writes every token from the"
                            + " vocabulary (default: on).")
    boolean copy;

    @Option(
            names = "--single-digits",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Tokenize every digit as a token of its own, so a number is the same tokens in"
                            + " the message and the reply (default: on).")
    boolean singleDigits;

    @Option(
            names = "--memory",
            defaultValue = "ENCODER_TOKENS",
            description =
                    "What the decoder attends to: ENCODER_TOKENS (every modality's encoder tokens;"
                            + " copying needs these) or FUSION_OUTPUT (the fusion block's output"
                            + " vectors) (default: ${DEFAULT-VALUE}).")
    ReplyMemory memory;

    @Option(names = "--test-limit", defaultValue = "0", description = "Test tickets (0: all).")
    int testLimit;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            description = "Training tickets, the first of the split (0: all).")
    int trainLimit;

    @Option(
            names = "--timing-tickets",
            defaultValue = "8",
            description = "Test tickets decoded one at a time to time a token.")
    int timingTickets;

    @Option(names = "--seed", defaultValue = "7", description = "Seeds everything.")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder (model/, eval json).")
    Path out;

    /** The generation head's name. */
    private static final String REPLY = "reply";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (classificationWeight != 0 && classificationWeight != 1) {
            throw new IllegalArgumentException(
                    "--classification-weight ("
                            + classificationWeight
                            + ") must be 1 (the classification heads train beside the reply head,"
                            + " their losses summed) or 0 (the reply head alone)");
        }
        RunConfig base = ReadyConfigs.load(config, overrides);
        Path dataDir = Path.of(base.data().get(0).path());
        Map<String, ReferenceReplies.Reference> references = ReferenceReplies.read(dataDir);
        ReplyTemplates templates = ReplyTemplates.read(dataDir.resolve("replies.json"));
        Dataset data = withReplies(new TrainingRun(base).datasets().get(0), references);
        int trainTickets = data.entries(Split.TRAIN).size();
        // as many epochs as the steps need, stopped after the last step
        int epochs = Math.max(1, (int) Math.ceil((double) steps * batchSize / trainTickets));
        List<String> settings = new ArrayList<>(overrides);
        settings.addAll(
                List.of(
                        "model.heads={" + REPLY + ": GENERATION}",
                        "model.decoder.width=" + decoderWidth,
                        "model.decoder.layers=" + decoderLayers,
                        "model.decoder.copy=" + copy,
                        "model.decoder.singleDigits=" + singleDigits,
                        "model.decoder.memory=" + memory,
                        "training.epochs=" + epochs,
                        "training.maxSteps=" + steps,
                        "training.batchSize=" + batchSize,
                        "training.accumulation=1",
                        "training.learningRate=" + learningRate,
                        "training.labelSmoothing=0.1",
                        "training.earlyStoppingMetric=loss",
                        "training.seed=" + seed,
                        "output=" + out));
        RunConfig run = ReadyConfigs.load(config, settings);
        System.out.printf(
                "%s: %d training tickets, %d steps of %d tickets (%d epochs)%n",
                run.name(), trainTickets, steps, batchSize, epochs);

        long start = System.nanoTime();
        TrainingRun.Result trained =
                new TrainingRun(run, List.of(data)).run(List.of(ConsoleProgress.forConsole()));
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Path modelDir = trained.modelDir();
        Files.copy( // the templates, for braid serve's template option and fallback
                dataDir.resolve("replies.json"),
                modelDir.resolve("replies.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ModelDirectory description = ModelDirectory.read(modelDir);
        TaskSchema schema = description.schema();
        Tokenizer tokenizer = description.tokenizer(modelDir);
        SpecialTokens special = tokenizer.specialTokens();
        FeatureExtractor extractor = FeatureExtractor.of(tokenizer, description.features());
        Collator collator = Collator.of(schema, extractor);
        List<ManifestEntry> test = data.entries(Split.TEST);
        if (testLimit > 0 && testLimit < test.size()) {
            test = test.subList(0, testLimit);
        }
        List<Example> testExamples = examples(test, extractor, tokenizer, references);
        boolean classifies = schema.heads().size() > 1;

        ObjectNode report = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel model = description.loadModel(modelDir, manager);
            ReplyHead head = model.replyHeads().get(REPLY);
            int maxReplyTokens = head.config().maxLength() - 1;
            List<String> generated = new ArrayList<>();
            List<String> filled = new ArrayList<>();
            GenerationConfig greedy =
                    GenerationConfig.builder()
                            .stopTokens(special.sep())
                            .maxNewTokens(maxReplyTokens)
                            .build();
            for (int from = 0; from < testExamples.size(); from += 25) {
                List<Example> some =
                        testExamples.subList(from, Math.min(from + 25, testExamples.size()));
                Batch batch = batch(collator, some);
                ReplyDecoding.Result result =
                        ReplyDecoding.generate(
                                model, head, tokenizer, batch, greedy, manager, null);
                for (int b = 0; b < some.size(); b++) {
                    generated.add(result.replies().get(b).text());
                    ManifestEntry e = some.get(b).sample().entry();
                    String lang = ReplyTemplates.languageOf(e.inputs().get(Modality.TEXT));
                    if (classifies) {
                        filled.add(
                                templates.reply(
                                        predicted(schema, result, "intent", b),
                                        predicted(schema, result, "product", b),
                                        predicted(schema, result, "urgency", b),
                                        lang));
                    }
                }
            }
            double tokenLoss = trained.test().metric(REPLY + "/token_loss");

            // ms per token, one ticket at a time, with and without the key/value cache
            long cachedNanos = 0;
            long cachedTokens = 0;
            long fullNanos = 0;
            long fullTokens = 0;
            for (int i = 0; i < Math.min(timingTickets, testExamples.size()); i++) {
                Batch one = batch(collator, testExamples.subList(i, i + 1));
                long t0 = System.nanoTime();
                Generated g =
                        ReplyDecoding.generate(model, head, tokenizer, one, greedy, manager, null)
                                .replies()
                                .get(0);
                cachedNanos += System.nanoTime() - t0;
                cachedTokens += g.tokens().length;
                t0 = System.nanoTime();
                int[] full =
                        ReplyDecoding.greedyWithoutCache(
                                        model, head, special, one, maxReplyTokens, manager)
                                .get(0);
                fullNanos += System.nanoTime() - t0;
                fullTokens += full.length + 1; // [SEP] was decoded too
            }

            List<String> refs = new ArrayList<>();
            for (Example e : testExamples) {
                refs.add(reference(references, e.sample().entry()).reply());
            }
            ObjectNode decoder =
                    scores(generated, refs, testExamples, references, "generated reply");
            decoder.put("tokenLoss", tokenLoss);
            decoder.put("perplexity", Math.exp(tokenLoss));
            decoder.put("msPerTokenCached", cachedNanos / 1e6 / Math.max(1, cachedTokens));
            decoder.put("msPerTokenNoCache", fullNanos / 1e6 / Math.max(1, fullTokens));
            decoder.put("trainSeconds", trainSeconds);
            decoder.put("epochs", trained.training().epochs());
            decoder.put("steps", trained.training().steps());
            decoder.put("lastLoss", trained.training().lastLoss());
            trained.test().metrics().forEach(decoder::put); // the evaluator's test metrics
            report.put("config", run.name());
            report.set("decoder", decoder);
            ObjectNode template =
                    classifies
                            ? scores(
                                    filled,
                                    refs,
                                    testExamples,
                                    references,
                                    "templates, predicted labels")
                            : null;
            if (template != null) {
                report.set("templates", template);
            }
            ArrayNode samples = report.putArray("samples");
            for (int i = 0; i < Math.min(10, generated.size()); i++) {
                ObjectNode s = samples.addObject();
                s.put("id", testExamples.get(i).sample().entry().id());
                s.put("reference", refs.get(i));
                s.put("generated", generated.get(i));
                if (classifies) {
                    s.put("template", filled.get(i));
                }
            }
            System.out.printf(
                    "%-28s %6s %6s %8s %8s %8s %s%n",
                    "", "chrF", "BLEU", "product", "urgency", "order", "ms/token (cache / none)");
            print(run.name() + " decoder", decoder);
            if (template != null) {
                print("templates (predicted labels)", template);
            }
            System.out.printf(
                    "token loss %.3f, perplexity %.2f; saved %s%n",
                    tokenLoss, Math.exp(tokenLoss), modelDir);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("replies-eval.json"), JSON.writeValueAsString(report));
        return 0;
    }

    private static void print(String name, ObjectNode s) {
        String timing =
                s.has("msPerTokenCached")
                        ? String.format(
                                "%.2f / %.2f",
                                s.get("msPerTokenCached").asDouble(),
                                s.get("msPerTokenNoCache").asDouble())
                        : "-";
        System.out.printf(
                "%-28s %6.1f %6.1f %7.1f%% %7.1f%% %7.1f%% %s%n",
                name,
                s.get("chrF").asDouble(),
                s.get("bleu").asDouble(),
                s.get("productRight").asDouble(),
                s.get("urgencyRight").asDouble(),
                s.get("orderRight").asDouble(),
                timing);
    }

    private static ObjectNode scores(
            List<String> hypotheses,
            List<String> refs,
            List<Example> examples,
            Map<String, ReferenceReplies.Reference> references,
            String what) {
        int product = 0;
        int urgency = 0;
        int orders = 0;
        int order = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            ReferenceReplies.Reference r = reference(references, examples.get(i).sample().entry());
            String h = hypotheses.get(i);
            product += ReferenceReplies.productRight(h, r.language(), r.product()) ? 1 : 0;
            urgency += ReferenceReplies.urgencyRight(h, r.language(), r.urgency()) ? 1 : 0;
            if (r.order() != null) {
                orders++;
                order += ReferenceReplies.orderRight(h, r.order()) ? 1 : 0;
            }
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("what", what);
        s.put("tickets", hypotheses.size());
        s.put("chrF", TextOverlap.chrF(hypotheses, refs));
        s.put("bleu", TextOverlap.bleu(hypotheses, refs));
        s.put("productRight", 100.0 * product / hypotheses.size());
        s.put("urgencyRight", 100.0 * urgency / hypotheses.size());
        s.put("ticketsWithOrder", orders);
        s.put("orderRight", orders == 0 ? 0 : 100.0 * order / orders);
        return s;
    }

    private static String predicted(
            TaskSchema schema, ReplyDecoding.Result result, String head, int row) {
        return schema.head(head).classes().get(result.classes().get(head)[row]);
    }

    /**
     * One test ticket.
     *
     * @param sample the manifest row
     * @param features its extracted inputs
     * @param reply the reference reply's token ids
     */
    private record Example(Sample sample, SampleFeatures features, int[] reply) {}

    /**
     * The tickets of {@code data}, each labelled with its reference reply as the head {@link
     * #REPLY}.
     */
    private Dataset withReplies(Dataset data, Map<String, ReferenceReplies.Reference> references) {
        List<ManifestEntry> entries = new ArrayList<>();
        int trained = 0;
        for (ManifestEntry e : data.entries()) {
            if (e.split() == Split.TRAIN && trainLimit > 0 && trained++ >= trainLimit) {
                continue; // --train-limit: the first tickets of the split only
            }
            Map<String, Label> labels = new TreeMap<>();
            if (classificationWeight > 0) {
                labels.putAll(e.labels());
            }
            labels.put(REPLY, new Label.ClassLabel(reference(references, e).reply()));
            entries.add(
                    new ManifestEntry(
                            e.manifest(), e.line(), e.id(), e.inputs(), labels, e.split()));
        }
        return new Dataset(data.name(), data.dir(), entries);
    }

    private static Batch batch(Collator collator, List<Example> some) {
        return collator.collate(
                some.stream().map(Example::sample).toList(),
                some.stream().map(Example::features).toList());
    }

    private static ReferenceReplies.Reference reference(
            Map<String, ReferenceReplies.Reference> references, ManifestEntry e) {
        ReferenceReplies.Reference r = references.get(e.id());
        if (r == null) {
            throw new IllegalArgumentException(
                    e.location() + ": ticket " + e.id() + " has no reply in replies.jsonl");
        }
        return r;
    }

    private static List<Example> examples(
            List<ManifestEntry> entries,
            FeatureExtractor extractor,
            Tokenizer tokenizer,
            Map<String, ReferenceReplies.Reference> references) {
        return IntStream.range(0, entries.size())
                .parallel()
                .mapToObj(
                        i -> {
                            ManifestEntry e = entries.get(i);
                            return new Example(
                                    new Sample(0, e),
                                    extractor.extract(e, i),
                                    tokenizer.encode(reference(references, e).reply()));
                        })
                .toList();
    }
}
