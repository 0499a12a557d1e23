package dev.braid.apps.support;

import dev.braid.apps.Braid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A customer-service model with a generation head for the server tests, trained once per test JVM
 * by {@code braid replies}, briefly: the tests check how a generated reply is served, not how good
 * it is.
 */
final class TinyReplyModel {

    private static Path model;

    private TinyReplyModel() {}

    static synchronized Path model() {
        if (model == null) {
            try {
                Path run = Files.createTempDirectory("braid-reply-model");
                int code =
                        Braid.commandLine()
                                .execute(
                                        "replies",
                                        "--set",
                                        "data=[{path: '"
                                                + TinySupportModel.dataDir()
                                                + "', weight: 1.0}]",
                                        "--steps",
                                        "6",
                                        "--decoder-width",
                                        "32",
                                        "--decoder-layers",
                                        "1",
                                        "--test-limit",
                                        "4",
                                        "--timing-tickets",
                                        "1",
                                        "--out",
                                        run.toString());
                if (code != 0) {
                    throw new IllegalStateException("braid replies exited with " + code);
                }
                model = run.resolve("model");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }
}
