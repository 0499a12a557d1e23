package dev.braid.apps;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.compress.CompressionMethod;
import dev.braid.fusion.compress.CompressionRecord;
import dev.braid.fusion.compress.MagnitudePruning;
import dev.braid.fusion.compress.StructuredPruning;
import dev.braid.fusion.compress.StudentConfig;
import dev.braid.fusion.compress.TeacherInit;
import dev.braid.fusion.compress.TeacherTargets;
import dev.braid.fusion.model.FusionKind;
import dev.braid.fusion.model.FusionModel;
import dev.braid.fusion.model.ModelConfig;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.predict.WeightFormat;
import dev.braid.fusion.train.ConsoleProgress;
import dev.braid.fusion.train.ModelFiles;
import dev.braid.fusion.train.TrainingLoss;
import dev.braid.text.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid compress --model DIR --out DIR --method M[,M...]}: int8 weights, magnitude pruning,
 * structured pruning (optionally fine-tuned), distillation of a narrower student; any together.
 * Applied in the order structured pruning, training (fine-tuning or distillation), magnitude
 * pruning, int8.
 */
@Command(
        name = "compress",
        mixinStandardHelpOptions = true,
        description = {
            "Compress a trained model into a new model directory that FusionPredictor.load, braid"
                    + " predict, eval and serve read like any other; its provenance records the"
                    + " methods, their settings and the parent model's fingerprint.",
            "Methods (--method, comma-separated): int8 (weights stored as int8, per-channel"
                    + " scales: ~4x smaller on disk), prune (unstructured magnitude pruning to"
                    + " --sparsity), structured-prune (removes --structured-sparsity of the image"
                    + " and audio channels and feed-forward units, --prune-heads of the attention"
                    + " heads: a smaller, faster model;"
                    + " --fine-tune-epochs retrains it), distill (trains a student --student-width"
                    + " times as wide and --student-depth as deep, fused by --student-fusion, or"
                    + " shaped like --student, from the teacher's weights on its soft targets)."
        })
final class CompressCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "The model directory to compress.")
    Path model;

    @Option(names = "--out", required = true, description = "The new model directory.")
    Path out;

    @Option(
            names = "--method",
            required = true,
            split = ",",
            description = "int8, prune, structured-prune, distill; several with commas.")
    List<String> methods;

    @Option(
            names = "--sparsity",
            defaultValue = "0.5",
            description = "prune: the share of each weight tensor set to zero (default: 0.5).")
    double sparsity;

    @Option(
            names = "--structured-sparsity",
            defaultValue = "0.5",
            description =
                    "structured-prune: the share of channels and units removed (default: 0.5).")
    double structuredSparsity;

    @Option(
            names = "--prune-heads",
            defaultValue = "0.5",
            description =
                    "structured-prune: the share of every attention's heads removed, whole heads"
                            + " (default: 0.5; 0 keeps them).")
    double pruneHeads;

    @Option(
            names = "--fine-tune-epochs",
            defaultValue = "0",
            description = "structured-prune: epochs of training after pruning (default: 0).")
    int fineTuneEpochs;

    @Option(
            names = "--student-width",
            defaultValue = "0.5",
            description = "distill: the student's widths as a share of the teacher's (0.5).")
    double studentWidth;

    @Option(
            names = "--student-depth",
            defaultValue = "1",
            description =
                    "distill: the share of every stack of layers the student keeps (text encoder"
                            + " layers, fusion self-attention layers, audio temporal blocks;"
                            + " default 1: all).")
    double studentDepth;

    @Option(
            names = "--student-fusion",
            description =
                    "distill: the student's fusion kind (PAIRWISE, LATENT, GATED, EARLY, LATE,"
                            + " GATED_UNIT; default: the teacher's).")
    FusionKind studentFusion;

    /** Where a student's weights start. */
    enum StudentStart {
        /** The seed's random initialisation. */
        RANDOM,
        /** The teacher's weights: its kept layers, their first units ({@link TeacherInit}). */
        TEACHER
    }

    @Option(
            names = "--student-init",
            defaultValue = "TEACHER",
            description =
                    "distill: TEACHER (the student starts from the teacher's kept layers and first"
                            + " units; a fusion of another kind at random) or RANDOM (default:"
                            + " ${DEFAULT-VALUE}).")
    StudentStart studentInit;

    @Option(
            names = "--student",
            description = "distill: a model directory whose shape the student takes instead.")
    Path student;

    @Option(
            names = "--temperature",
            defaultValue = "2",
            description = "distill: the softmax temperature T (default: 2).")
    float temperature;

    @Option(
            names = "--alpha",
            defaultValue = "0.5",
            description = "distill: the weight of the soft targets against the labels (0.5).")
    float alpha;

    @Option(
            names = "--epochs",
            defaultValue = "0",
            description = "distill: training epochs (default: the teacher's).")
    int epochs;

    @Option(
            names = "--data",
            description =
                    "Training data for fine-tuning and distillation (default: the datasets the"
                            + " model was trained on, as its provenance names them).")
    Path data;

    @Override
    public Integer call() throws Exception {
        Set<CompressionMethod> chosen = methods();
        MagnitudePruning magnitude =
                chosen.contains(CompressionMethod.PRUNE) ? new MagnitudePruning(sparsity) : null;
        StructuredPruning structured =
                chosen.contains(CompressionMethod.STRUCTURED_PRUNE)
                        ? new StructuredPruning(structuredSparsity, pruneHeads)
                        : null;
        if (fineTuneEpochs < 0 || epochs < 0) {
            throw new IllegalArgumentException(
                    "--fine-tune-epochs ("
                            + fineTuneEpochs
                            + ") and --epochs ("
                            + epochs
                            + ") must be >= 0");
        }
        Path parentDir = InputFiles.directory("--model", model);
        if (Files.exists(out) && Files.isSameFile(out, parentDir)) {
            throw new IllegalArgumentException(
                    "--out " + out + " is the model directory itself: choose another");
        }
        ModelDirectory parent = ModelDirectory.read(parentDir);
        Tokenizer tokenizer = parent.tokenizer(parentDir);
        ObjectNode settings = JSON.createObjectNode();
        List<String> applied = new ArrayList<>();
        Files.createDirectories(out);
        try (NDManager manager = NDManager.newBaseManager()) {
            FusionModel current = parent.loadModel(parentDir, manager);
            FusionModel teacher = current;
            if (structured != null) {
                current = structured.apply(current, parent.features(), manager);
                settings.put("structuredSparsity", structuredSparsity);
                settings.put("pruneHeads", pruneHeads);
                applied.add(CompressionMethod.STRUCTURED_PRUNE.label());
            }
            boolean distill = chosen.contains(CompressionMethod.DISTILL);
            if (distill || fineTuneEpochs > 0) {
                current =
                        train(
                                parent,
                                tokenizer,
                                teacher,
                                current,
                                structured,
                                distill,
                                settings,
                                manager);
                applied.add(distill ? CompressionMethod.DISTILL.label() : "fine-tune");
            }
            if (magnitude != null) {
                long zeroed = magnitude.apply(current);
                settings.put("sparsity", sparsity);
                settings.put("weightsZeroed", zeroed);
                applied.add(CompressionMethod.PRUNE.label());
            }
            boolean int8 = chosen.contains(CompressionMethod.INT8);
            if (int8) {
                applied.add(CompressionMethod.INT8.label());
            }
            JsonNode provenance =
                    CompressionRecord.provenance(parentDir, parent.provenance(), applied, settings);
            new ModelDirectory(current.config(), parent.schema(), parent.features(), provenance)
                    .save(out, current, tokenizer, int8 ? WeightFormat.INT8 : WeightFormat.FLOAT32);
        }
        System.out.printf(
                "Compressed (%s): %s, %.1f KiB -> %s, %.1f KiB%n",
                String.join(", ", applied),
                parentDir,
                ModelComparison.sizeOnDisk(parentDir) / 1024.0,
                out,
                ModelComparison.sizeOnDisk(out) / 1024.0);
        return 0;
    }

    private Set<CompressionMethod> methods() {
        Set<CompressionMethod> chosen = EnumSet.noneOf(CompressionMethod.class);
        for (String name : methods) {
            try {
                chosen.add(CompressionMethod.of(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--method: " + e.getMessage(), e);
            }
        }
        if (student != null && !chosen.contains(CompressionMethod.DISTILL)) {
            throw new IllegalArgumentException("--student goes with --method distill");
        }
        if (!(studentDepth > 0 && studentDepth <= 1)) {
            throw new IllegalArgumentException(
                    "--student-depth (" + studentDepth + ") must be in (0, 1]");
        }
        if (!(pruneHeads >= 0 && pruneHeads < 1)) {
            throw new IllegalArgumentException(
                    "--prune-heads ("
                            + pruneHeads
                            + ") must be in [0, 1): the share of heads removed");
        }
        if (fineTuneEpochs > 0 && !chosen.contains(CompressionMethod.STRUCTURED_PRUNE)) {
            throw new IllegalArgumentException(
                    "--fine-tune-epochs goes with --method structured-prune");
        }
        return chosen;
    }

    /**
     * Fine-tunes {@code current}, or distils a student from {@code teacher}, through {@code braid
     * train}'s run and loop; returns the trained model, loaded into {@code manager}.
     */
    private FusionModel train(
            ModelDirectory parent,
            Tokenizer tokenizer,
            FusionModel teacher,
            FusionModel current,
            StructuredPruning structured,
            boolean distill,
            ObjectNode settings,
            NDManager manager)
            throws IOException {
        Path runDir = out.resolve("training");
        ModelConfig shape;
        TrainingRun.Weights weights;
        if (structured != null) {
            shape = current.config(); // a pruned model: trained from its pruned weights
            Path pruned = Files.createDirectories(runDir).resolve("pruned.params");
            ModelFiles.saveParameters(current, pruned);
            weights = (m, mgr) -> ModelFiles.loadParameters(m, mgr, pruned);
        } else {
            shape =
                    student != null
                            ? ModelDirectory.read(InputFiles.directory("--student", student))
                                    .config()
                            : StudentConfig.shallower(
                                    StudentConfig.narrower(parent.config(), studentWidth),
                                    studentDepth);
            if (studentFusion != null) {
                shape = shape.withFusion(shape.fusion().withKind(studentFusion));
            }
            weights =
                    studentInit == StudentStart.TEACHER
                            ? (m, mgr) -> TeacherInit.copy(teacher, m)
                            : TrainingRun.Weights.INITIALISED;
        }
        TrainingLoss loss = TrainingLoss.HEADS;
        if (distill) {
            loss = new TeacherTargets(teacher, shape, temperature, alpha);
            settings.put("temperature", temperature);
            settings.put("alpha", alpha);
            boolean derivedShape = structured == null && student == null;
            settings.put("studentWidth", derivedShape ? studentWidth : 0);
            settings.put("studentDepth", derivedShape ? studentDepth : 0);
            settings.put("studentInit", studentInit.name().toLowerCase(java.util.Locale.ROOT));
            settings.put("studentFusion", shape.fusion().kind().name());
            if (student != null) {
                settings.put("student", student.toString());
            }
        }
        List<String> overrides = new ArrayList<>();
        overrides.add("output=\"" + runDir + "\"");
        int trainEpochs = distill ? epochs : fineTuneEpochs;
        if (trainEpochs > 0) {
            overrides.add("training.epochs=" + trainEpochs);
        }
        if (data != null) {
            overrides.add(
                    "data=[{path: \"" + InputFiles.dataset("--data", data) + "\", weight: 1}]");
        }
        RunConfig run = runConfig(parent, overrides);
        settings.put("epochs", run.training().epochs());
        System.out.printf(
                "%s (%d epochs) -> %s%n",
                distill ? "Distilling a student" : "Fine-tuning the pruned model",
                run.training().epochs(),
                runDir);
        TrainingRun.Result result =
                new TrainingRun(run, new TrainingRun.Start(shape, tokenizer, weights, loss))
                        .run(List.of(ConsoleProgress.forConsole()));
        settings.set("training", ModelDirectory.read(result.modelDir()).provenance());
        System.out.println();
        System.out.print(Tables.metrics("test", result.test()));
        return ModelDirectory.read(result.modelDir()).loadModel(result.modelDir(), manager);
    }

    /** The parent's run configuration, from its provenance, with {@code overrides}. */
    private RunConfig runConfig(ModelDirectory parent, List<String> overrides) throws IOException {
        JsonNode run = parent.provenance().get("run");
        if (run == null || !run.isObject()) {
            throw new IllegalArgumentException(
                    model.resolve(ModelDirectory.MANIFEST)
                            + ": provenance.run is missing (the model was not made by braid"
                            + " train), and fine-tuning and distillation train with its run"
                            + " configuration");
        }
        return RunConfig.parse(run.toString(), overrides, model + " provenance.run");
    }
}
