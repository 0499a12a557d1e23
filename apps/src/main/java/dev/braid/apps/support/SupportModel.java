package dev.braid.apps.support;

import dev.braid.apps.ReadyConfigs;
import dev.braid.apps.run.RunConfig;
import dev.braid.apps.run.TrainingRun;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.fusion.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer-service model {@code braid serve} uses when given none: the ready configuration
 * {@code support-fused-pretrained} (both pretrained encoders: the best of the measured setups on
 * validation loss, see the README) trained on the shipped {@code data/support}, saved once under
 * {@code runs/support} and reused after that. Its reply templates are copied next to it, so the
 * model directory is all a server needs.
 */
public final class SupportModel {

    /** The ready configuration it is trained from. */
    public static final String CONFIG = "support-fused-pretrained";

    /** Where it is kept, relative to the working directory. */
    public static final Path DEFAULT_RUN = Path.of("runs", "support");

    /** The templates file inside a model directory. */
    public static final String REPLIES = "replies.json";

    private SupportModel() {}

    /**
     * Returns the model directory under {@code run}, training it first if it is not there.
     *
     * @param overrides {@code key=value} changes to the configuration (tests train a small one)
     * @param out where to say what is happening
     */
    public static Path ensure(
            Path run, List<String> overrides, List<TrainingListener> listeners, PrintStream out)
            throws IOException {
        Path model = run.resolve("model");
        if (Files.isRegularFile(model.resolve(ModelDirectory.MANIFEST))) {
            return model;
        }
        List<String> all = new ArrayList<>(overrides);
        all.add("output=" + run);
        RunConfig config = ReadyConfigs.load(CONFIG, all);
        out.printf(
                "No customer-service model in %s yet: training '%s' on %s first.%n",
                run.toAbsolutePath(), CONFIG, config.data().get(0).path());
        TrainingRun.Result result = new TrainingRun(config).run(listeners);
        copyReplies(Path.of(config.data().get(0).path()), result.modelDir());
        out.printf(
                "Trained in %.0f s; test %s%n",
                result.seconds(),
                dev.braid.fusion.train.Evaluation.headline(result.test().metrics()));
        return result.modelDir();
    }

    /** Copies the dataset's reply templates into a model directory, which then serves alone. */
    public static void copyReplies(Path dataset, Path modelDir) throws IOException {
        Files.copy(
                dataset.resolve(REPLIES),
                modelDir.resolve(REPLIES),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The reply templates for a model: {@code replies.json} in its directory, else the shipped
     * dataset's.
     */
    public static Path repliesFor(Path modelDir) {
        Path own = modelDir.resolve(REPLIES);
        return Files.isRegularFile(own) ? own : Path.of("data", "support", REPLIES);
    }
}
