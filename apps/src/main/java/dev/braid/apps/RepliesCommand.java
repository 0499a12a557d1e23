package dev.braid.apps;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
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
import dev.braid.fusion.data.FeatureSettings;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Sample;
import dev.braid.fusion.data.Split;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.metrics.TextOverlap;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.fusion.predict.ReplyFiles;
import dev.braid.fusion.train.ReplyTrainer;
import dev.braid.text.decoder.CrossAttention;
import dev.braid.text.decoder.DecoderBatch;
import dev.braid.text.decoder.DecoderConfig;
import dev.braid.text.decoder.DecoderLoss;
import dev.braid.text.decoder.TeacherForcing;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.tokenize.BpeTrainer;
import dev.braid.text.tokenize.SpecialTokens;
import dev.braid.text.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid replies [--config support-fused] [--steps N] [--out DIR]}: trains a reply generator
 * (a {@link ReplyHead} over the configuration's encoders, multi-task with its classification heads)
 * on the training tickets of a customer-service dataset with reference replies ({@code
 * replies.jsonl}), saves the model directory, and measures it on the test tickets against the
 * references: token loss and perplexity, chrF, BLEU, product / urgency / copied order number right,
 * and milliseconds per token with and without the key/value cache; the reply templates filled with
 * the same model's predicted labels are measured alongside.
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

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        RunConfig run = ReadyConfigs.load(config, overrides);
        TrainingRun training = new TrainingRun(run);
        List<Dataset> datasets = training.datasets();
        Dataset data = datasets.get(0);
        Path dataDir = Path.of(run.data().get(0).path());
        Map<String, ReferenceReplies.Reference> references = ReferenceReplies.read(dataDir);
        ReplyTemplates templates = ReplyTemplates.read(dataDir.resolve("replies.json"));

        List<ManifestEntry> train = data.entries(Split.TRAIN);
        if (trainLimit > 0 && trainLimit < train.size()) {
            train = train.subList(0, trainLimit);
        }
        List<ManifestEntry> test = data.entries(Split.TEST);
        if (testLimit > 0 && testLimit < test.size()) {
            test = test.subList(0, testLimit);
        }
        List<String> corpus = new ArrayList<>();
        for (ManifestEntry e : train) {
            corpus.add(e.inputs().get(Modality.TEXT));
            corpus.add(reference(references, e).reply());
        }
        Tokenizer tokenizer =
                new BpeTrainer(new BpeTrainer.Config(training.features().vocabularySize(), 2))
                        .train(corpus);
        SpecialTokens special = tokenizer.specialTokens();
        TaskSchema schema = TaskSchema.infer(datasets);
        ModelConfig modelConfig = training.modelConfig(schema, tokenizer);
        FeatureSettings features = training.featureSettings();
        FeatureExtractor extractor = FeatureExtractor.of(tokenizer, features);
        Collator collator = Collator.of(schema, extractor);

        int longest = 0;
        for (ManifestEntry e : train) {
            longest = Math.max(longest, tokenizer.encode(reference(references, e).reply()).length);
        }
        int maxReplyTokens = longest + 1;
        System.out.printf(
                "%s: %d training tickets, %d test, vocabulary %d, longest reply %d tokens%n",
                run.name(), train.size(), test.size(), tokenizer.vocabularySize(), longest);

        long start = System.nanoTime();
        List<ReplyTrainer.Example> trainExamples =
                examples(train, extractor, tokenizer, references);
        List<ReplyTrainer.Example> testExamples = examples(test, extractor, tokenizer, references);
        System.out.printf("features: %.1f s%n", (System.nanoTime() - start) / 1e9);

        ObjectNode report = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            FusionModel model = new FusionModel(modelConfig);
            model.initialize(
                    manager, DataType.FLOAT32, ModelDirectory.inputShapes(modelConfig, features));
            DecoderConfig decoderConfig =
                    DecoderConfig.gpt2(tokenizer.vocabularySize()).toBuilder()
                            .width(decoderWidth)
                            .heads(4)
                            .layers(decoderLayers)
                            .feedForwardWidth(2 * decoderWidth)
                            .maxLength(maxReplyTokens + 1)
                            .crossAttention(CrossAttention.EVERY_LAYER)
                            .build();
            ReplyHead head = new ReplyHead(decoderConfig, modelConfig.modalities());
            head.initialize(
                    manager,
                    DataType.FLOAT32,
                    ReplyFiles.shapes(
                            head,
                            model.encoderShapes(
                                    ModelDirectory.inputShapes(modelConfig, features))));

            start = System.nanoTime();
            float[] losses =
                    new ReplyTrainer(
                                    new ReplyTrainer.Config(
                                            steps,
                                            batchSize,
                                            learningRate,
                                            0.1f,
                                            classificationWeight,
                                            maxReplyTokens,
                                            seed))
                            .train(
                                    model,
                                    head,
                                    trainExamples,
                                    collator,
                                    special,
                                    manager,
                                    (step, total, replyLoss, all) -> {
                                        if (step % 25 == 0 || step == total - 1) {
                                            System.out.printf(
                                                    "step %4d/%d  reply loss %.3f  total %.3f%n",
                                                    step + 1, total, replyLoss, all);
                                        }
                                    });
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Path modelDir = out.resolve("model");
            ObjectNode provenance = JSON.createObjectNode();
            provenance.put("braidVersion", ModelDirectory.BRAID_VERSION);
            provenance.put("config", run.name());
            provenance.put("seed", seed);
            provenance.put("steps", steps);
            provenance.put("replyHead", decoderConfig.toString());
            new ModelDirectory(modelConfig, schema, features, provenance)
                    .save(modelDir, model, tokenizer);
            ReplyFiles.save(modelDir, head);
            Files.copy( // the templates, for braid serve's template option and fallback
                    dataDir.resolve("replies.json"),
                    modelDir.resolve("replies.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            // teacher-forced token loss on the test tickets (no smoothing)
            double lossSum = 0;
            long tokens = 0;
            List<String> generated = new ArrayList<>();
            List<String> filled = new ArrayList<>();
            GenerationConfig greedy =
                    GenerationConfig.builder()
                            .stopTokens(special.sep())
                            .maxNewTokens(maxReplyTokens)
                            .build();
            for (int from = 0; from < testExamples.size(); from += 25) {
                List<ReplyTrainer.Example> some =
                        testExamples.subList(from, Math.min(from + 25, testExamples.size()));
                Batch batch = batch(collator, some);
                try (NDManager step = manager.newSubManager()) {
                    ParameterStore store = new ParameterStore(step, false);
                    FusionModel.Encoded encoded =
                            model.predictWithTokens(
                                    store, ReplyTrainer.inputs(model, batch, step), false);
                    NDList memory = head.memory(store, encoded.tokens(), false);
                    DecoderBatch taught =
                            TeacherForcing.batch(
                                    step,
                                    some.stream().map(ReplyTrainer.Example::reply).toList(),
                                    maxReplyTokens,
                                    special);
                    NDArray logits =
                            head.forward(
                                            store,
                                            taught.decoderInput(memory.get(0), memory.get(1)),
                                            false)
                                    .singletonOrThrow();
                    long n = taught.mask().sum().getLong();
                    lossSum +=
                            DecoderLoss.crossEntropy(logits, taught.targets(), taught.mask(), 0f)
                                            .getFloat()
                                    * n;
                    tokens += n;
                }
                ReplyDecoding.Result result =
                        ReplyDecoding.generate(
                                model, head, tokenizer, batch, greedy, manager, null);
                for (int b = 0; b < some.size(); b++) {
                    generated.add(result.replies().get(b).text());
                    ManifestEntry e = some.get(b).sample().entry();
                    String lang = ReplyTemplates.languageOf(e.inputs().get(Modality.TEXT));
                    filled.add(
                            templates.reply(
                                    predicted(schema, result, "intent", b),
                                    predicted(schema, result, "product", b),
                                    predicted(schema, result, "urgency", b),
                                    lang));
                }
            }
            double tokenLoss = lossSum / tokens;

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
            for (ReplyTrainer.Example e : testExamples) {
                refs.add(reference(references, e.sample().entry()).reply());
            }
            ObjectNode decoder =
                    scores(generated, refs, testExamples, references, "generated reply");
            decoder.put("tokenLoss", tokenLoss);
            decoder.put("perplexity", Math.exp(tokenLoss));
            decoder.put("msPerTokenCached", cachedNanos / 1e6 / Math.max(1, cachedTokens));
            decoder.put("msPerTokenNoCache", fullNanos / 1e6 / Math.max(1, fullTokens));
            decoder.put("trainSeconds", trainSeconds);
            decoder.put("firstLoss", losses[0]);
            decoder.put("lastLoss", mean(losses, Math.max(0, losses.length - 20)));
            ObjectNode template =
                    scores(filled, refs, testExamples, references, "templates, predicted labels");
            report.put("config", run.name());
            report.set("decoder", decoder);
            report.set("templates", template);
            ArrayNode samples = report.putArray("samples");
            for (int i = 0; i < Math.min(10, generated.size()); i++) {
                ObjectNode s = samples.addObject();
                s.put("id", testExamples.get(i).sample().entry().id());
                s.put("reference", refs.get(i));
                s.put("generated", generated.get(i));
                s.put("template", filled.get(i));
            }
            System.out.printf(
                    "%-28s %6s %6s %8s %8s %8s %s%n",
                    "", "chrF", "BLEU", "product", "urgency", "order", "ms/token (cache / none)");
            print(run.name() + " decoder", decoder);
            print("templates (predicted labels)", template);
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
            List<ReplyTrainer.Example> examples,
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

    private static float mean(float[] values, int from) {
        float sum = 0;
        for (int i = from; i < values.length; i++) {
            sum += values[i];
        }
        return sum / (values.length - from);
    }

    private static Batch batch(Collator collator, List<ReplyTrainer.Example> some) {
        return collator.collate(
                some.stream().map(ReplyTrainer.Example::sample).toList(),
                some.stream().map(ReplyTrainer.Example::features).toList());
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

    private static List<ReplyTrainer.Example> examples(
            List<ManifestEntry> entries,
            FeatureExtractor extractor,
            Tokenizer tokenizer,
            Map<String, ReferenceReplies.Reference> references) {
        return IntStream.range(0, entries.size())
                .parallel()
                .mapToObj(
                        i -> {
                            ManifestEntry e = entries.get(i);
                            return new ReplyTrainer.Example(
                                    new Sample(0, e),
                                    extractor.extract(e, i),
                                    tokenizer.encode(reference(references, e).reply()));
                        })
                .toList();
    }
}
