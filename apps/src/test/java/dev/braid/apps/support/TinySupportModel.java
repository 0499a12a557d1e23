package dev.braid.apps.support;

import dev.braid.apps.data.ShippedDatasetTest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A customer-service model for the server tests, trained once per test JVM through the same path
 * {@code braid serve} takes ({@link SupportModel#ensure}), only briefly: the tests check that the
 * server serves a model, not how well it was trained.
 */
public final class TinySupportModel {

    /** A short run of the real configuration: few steps, no feature cache. */
    static final List<String> OVERRIDES =
            List.of(
                    "data=[{path: '" + dataDir() + "', weight: 1.0}]",
                    "training.epochs=1",
                    // from scratch, as support-fused: the pretrained encoders have tests of their
                    // own (OnnxTextEncoderTest, ShippedSpeechEncoderTest), and this one stays fast
                    "model.textEncoder=null",
                    "model.pretrainedAudio=null",
                    "training.frozenEncoders=[]",
                    "training.unfreezeEpoch=-1",
                    "training.maxSteps=12",
                    "features.cache=false");

    private static Path run;
    private static Path model;

    private TinySupportModel() {}

    /** The run folder (the model is under {@code model/}). */
    static synchronized Path run() {
        if (model == null) {
            try {
                run = Files.createTempDirectory("braid-support-model");
                Path created = run;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(created)));
                model =
                        SupportModel.ensure(
                                run, OVERRIDES, List.of(), new PrintStream(System.out, true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return run;
    }

    public static synchronized Path model() {
        run();
        return model;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    static Path dataDir() {
        return ShippedDatasetTest.repoRoot().resolve("data/support");
    }
}
