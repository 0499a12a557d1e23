package dev.braid.fusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.Batch;
import dev.braid.fusion.data.BatchLoader;
import dev.braid.fusion.data.BatchLoaderConfig;
import dev.braid.fusion.data.FeatureExtractor;
import dev.braid.fusion.data.HeadKind;
import dev.braid.fusion.data.HeadKindPlugins;
import dev.braid.fusion.data.HeadSpec;
import dev.braid.fusion.data.HeadTargets;
import dev.braid.fusion.data.ManifestEntry;
import dev.braid.fusion.data.Order;
import dev.braid.fusion.data.SampleSource;
import dev.braid.fusion.data.TaskSchema;
import dev.braid.fusion.metrics.ClassificationMetrics;
import dev.braid.fusion.metrics.RegressionMetrics;
import dev.braid.fusion.metrics.RocAuc;
import dev.braid.fusion.metrics.TextOverlap;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ReplyHead;
import dev.braid.fusion.predict.ReplyDecoding;
import dev.braid.text.generate.Generated;
import dev.braid.text.generate.GenerationConfig;
import dev.braid.text.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a model over batches without training and scores every head on the samples labelled for it:
 * accuracy, macro-F1, per-class scores and ROC-AUC (two classes) for classification; macro ROC-AUC
 * and exact-match accuracy for multi-label; MAE and RMSE for regression; a plug-in kind's own; for
 * a generation head its teacher-forced token loss and perplexity, and, given the tokenizer, chrF
 * and BLEU of its greedy texts against the labels.
 */
public final class Evaluator {

    private Evaluator() {}

    /**
     * Evaluates {@code model} on {@code entries} in their order, read in batches of 64 by a loader
     * of its own with {@code features}: how a saved model is scored outside training. The loader's
     * seed is fixed, so noise that {@code features} adds (robustness tables) is the same each time.
     *
     * @param hidden modalities to hide from every sample; empty for none
     */
    public static Evaluation evaluate(
            FusionModel model,
            NDManager manager,
            List<ManifestEntry> entries,
            FeatureExtractor features,
            TaskSchema schema,
            Set<Modality> hidden) {
        try (BatchLoader loader =
                new BatchLoader(
                        SampleSource.of(entries, Order.SEQUENTIAL),
                        features,
                        schema,
                        BatchLoaderConfig.of(64, 7))) {
            return evaluate(model, manager, loader.epoch(0, 0), schema, hidden);
        }
    }

    /**
     * Evaluates {@code model} on {@code batches}.
     *
     * @param hidden modalities to hide from every sample (for robustness tables); empty for none
     */
    public static Evaluation evaluate(
            FusionModel model,
            NDManager manager,
            Iterator<Batch> batches,
            TaskSchema schema,
            Set<Modality> hidden) {
        return evaluate(model, manager, batches, schema, hidden, null);
    }

    /**
     * Evaluates {@code model} on {@code batches}, and has every generation head write each text
     * greedily (through the key/value cache, up to its decoder's length) to score it against the
     * label by chrF and BLEU ({@code <head>/chrf}, {@code <head>/bleu}): slower than {@link
     * #evaluate(FusionModel, NDManager, Iterator, TaskSchema, Set)}, so for a run's end, not its
     * every epoch.
     *
     * @param tokenizer the run's tokenizer, which the generation heads write with
     * @param hidden modalities to hide from every sample; empty for none
     */
    public static Evaluation evaluateWithTexts(
            FusionModel model,
            NDManager manager,
            Iterator<Batch> batches,
            TaskSchema schema,
            Set<Modality> hidden,
            Tokenizer tokenizer) {
        return evaluate(model, manager, batches, schema, hidden, Objects.requireNonNull(tokenizer));
    }

    /** The evaluation; {@code tokenizer} null writes no texts. */
    private static Evaluation evaluate(
            FusionModel model,
            NDManager manager,
            Iterator<Batch> batches,
            TaskSchema schema,
            Set<Modality> hidden,
            Tokenizer tokenizer) {
        Map<String, HeadOutputs> outputs = new TreeMap<>();
        Map<String, TextOutputs> texts = new TreeMap<>();
        double lossSum = 0;
        int samples = 0;
        List<Modality> modalities = model.config().modalities();
        ParameterStore store = new ParameterStore(manager, false);
        while (batches.hasNext()) {
            Batch batch = batches.next();
            try (NDManager step = manager.newSubManager()) {
                List<Set<Modality>> dropped = new ArrayList<>();
                for (int b = 0; b < batch.size(); b++) {
                    dropped.add(hidden);
                }
                Map<Modality, NDList> inputs = BatchInputs.of(batch, modalities, dropped, step);
                FusionModel.Encoded encoded = model.predictWithTokens(store, inputs, false);
                Map<String, NDArray> logits = encoded.logits();
                NDArray total = HeadLosses.classified(logits, batch.targets(), 0f, step);
                for (Map.Entry<String, ReplyHead> head : model.replyHeads().entrySet()) {
                    if (batch.targets().get(head.getKey()) instanceof HeadTargets.Texts target) {
                        TextOutputs out =
                                texts.computeIfAbsent(head.getKey(), k -> new TextOutputs());
                        NDArray loss =
                                out.add(
                                        head.getValue(),
                                        store,
                                        encoded,
                                        inputs,
                                        target,
                                        tokenizer,
                                        step);
                        total = total == null ? loss : total.add(loss);
                    }
                }
                if (total == null) {
                    throw new IllegalStateException(
                            "no head has targets in this batch: check the task schema");
                }
                lossSum += total.getFloat() * batch.size();
                samples += batch.size();
                for (Map.Entry<String, NDArray> head : logits.entrySet()) {
                    HeadTargets target = batch.targets().get(head.getKey());
                    if (target != null) {
                        outputs.computeIfAbsent(head.getKey(), k -> new HeadOutputs())
                                .add(head.getValue(), target);
                    }
                }
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", samples == 0 ? Double.NaN : lossSum / samples);
        Map<String, ClassificationMetrics> classification = new LinkedHashMap<>();
        for (Map.Entry<String, HeadOutputs> e : outputs.entrySet()) {
            String name = e.getKey();
            HeadOutputs out = e.getValue();
            HeadSpec head = schema.head(name);
            if (out.rows.isEmpty()) {
                continue;
            }
            HeadKind kind = head.kind();
            if (kind.equals(HeadKind.CLASSIFICATION)) {
                ClassificationMetrics m =
                        ClassificationMetrics.of(out.truthClasses(), out.argmax(), head.classes());
                classification.put(name, m);
                m.toMap().forEach((k, v) -> metrics.put(name + "/" + k, v));
                if (head.classes().size() == 2) {
                    metrics.put(
                            name + "/roc_auc", RocAuc.binary(out.softmaxColumn(1), out.truthIs(1)));
                }
            } else if (kind.equals(HeadKind.MULTI_LABEL)) {
                metrics.put(
                        name + "/roc_auc_macro", RocAuc.macro(out.sigmoid(), out.truthMultiHot()));
                metrics.put(name + "/exact_match", out.exactMatch());
            } else if (kind.equals(HeadKind.REGRESSION)) {
                RegressionMetrics.of(out.truthValues(), out.values())
                        .toMap()
                        .forEach((k, v) -> metrics.put(name + "/" + k, v));
            } else {
                HeadKindPlugins.of(kind)
                        .metrics(head, List.copyOf(out.rows), List.copyOf(out.truth))
                        .forEach((k, v) -> metrics.put(name + "/" + k, v));
            }
        }
        texts.forEach((name, out) -> out.metrics(name, metrics));
        return new Evaluation(metrics, classification, samples);
    }

    /** One generation head's scored tokens and, when it writes, its texts and their labels. */
    private static final class TextOutputs {
        double lossSum; // token loss times tokens
        long tokens;
        final List<String> written = new ArrayList<>();
        final List<String> labels = new ArrayList<>();

        /** Adds one batch; returns its teacher-forced loss. */
        NDArray add(
                ReplyHead head,
                ParameterStore store,
                FusionModel.Encoded encoded,
                Map<Modality, NDList> inputs,
                HeadTargets.Texts target,
                Tokenizer tokenizer,
                NDManager manager) {
            TeacherForcedLoss.Result forced =
                    TeacherForcedLoss.of(head, store, encoded, inputs, target, 0f, manager, false);
            lossSum += forced.loss().getFloat() * forced.tokens();
            tokens += forced.tokens();
            if (tokenizer != null) {
                GenerationConfig greedy =
                        GenerationConfig.builder()
                                .stopTokens(target.special().sep())
                                .maxNewTokens(head.config().maxLength() - 1)
                                .build();
                List<Generated> replies =
                        ReplyDecoding.fromMemory(
                                head,
                                tokenizer,
                                head.memory(store, encoded, inputs, false),
                                greedy,
                                manager,
                                null);
                for (int b = 0; b < target.size(); b++) {
                    if (target.present()[b]) {
                        written.add(replies.get(b).text());
                        labels.add(target.texts()[b]);
                    }
                }
            }
            return forced.loss();
        }

        void metrics(String name, Map<String, Double> metrics) {
            double loss = tokens == 0 ? Double.NaN : lossSum / tokens;
            metrics.put(name + "/token_loss", loss);
            metrics.put(name + "/perplexity", Math.exp(loss));
            if (!written.isEmpty()) {
                metrics.put(name + "/chrf", TextOverlap.chrF(written, labels));
                metrics.put(name + "/bleu", TextOverlap.bleu(written, labels));
            }
        }
    }

    /** One head's raw outputs and targets over the labelled samples, gathered batch by batch. */
    private static final class HeadOutputs {
        final List<float[]> rows = new ArrayList<>();
        final List<float[]> truth = new ArrayList<>();

        void add(NDArray logits, HeadTargets target) {
            float[] values = logits.toFloatArray();
            int width = values.length / target.size();
            boolean[] present = target.present();
            for (int b = 0; b < present.length; b++) {
                if (!present[b]) {
                    continue;
                }
                float[] row = new float[width];
                System.arraycopy(values, b * width, row, 0, width);
                rows.add(row);
                truth.add(target.row(b));
            }
        }

        int[] truthClasses() {
            return truth.stream().mapToInt(t -> (int) t[0]).toArray();
        }

        boolean[] truthIs(int c) {
            boolean[] out = new boolean[truth.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = truth.get(i)[0] == c;
            }
            return out;
        }

        int[] argmax() {
            return rows.stream()
                    .mapToInt(
                            r -> {
                                int best = 0;
                                for (int i = 1; i < r.length; i++) {
                                    if (r[i] > r[best]) {
                                        best = i;
                                    }
                                }
                                return best;
                            })
                    .toArray();
        }

        double[] softmaxColumn(int c) {
            return rows.stream()
                    .mapToDouble(
                            r -> {
                                double max = Double.NEGATIVE_INFINITY;
                                for (float v : r) {
                                    max = Math.max(max, v);
                                }
                                double sum = 0;
                                for (float v : r) {
                                    sum += Math.exp(v - max);
                                }
                                return Math.exp(r[c] - max) / sum;
                            })
                    .toArray();
        }

        double[][] sigmoid() {
            return rows.stream()
                    .map(
                            r -> {
                                double[] p = new double[r.length];
                                for (int i = 0; i < r.length; i++) {
                                    p[i] = 1 / (1 + Math.exp(-r[i]));
                                }
                                return p;
                            })
                    .toArray(double[][]::new);
        }

        boolean[][] truthMultiHot() {
            return truth.stream()
                    .map(
                            t -> {
                                boolean[] b = new boolean[t.length];
                                for (int i = 0; i < t.length; i++) {
                                    b[i] = t[i] > 0.5f;
                                }
                                return b;
                            })
                    .toArray(boolean[][]::new);
        }

        double exactMatch() {
            int hits = 0;
            for (int i = 0; i < rows.size(); i++) {
                boolean all = true;
                for (int k = 0; k < rows.get(i).length; k++) {
                    all &= (rows.get(i)[k] > 0) == (truth.get(i)[k] > 0.5f);
                }
                hits += all ? 1 : 0;
            }
            return hits / (double) rows.size();
        }

        double[] values() {
            return rows.stream().mapToDouble(r -> r[0]).toArray();
        }

        double[] truthValues() {
            return truth.stream().mapToDouble(t -> t[0]).toArray();
        }
    }
}
