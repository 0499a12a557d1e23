package dev.braid.apps;

import dev.braid.apps.support.BatchSettings;
import dev.braid.apps.support.Desk;
import dev.braid.apps.support.FusionTicketRouter;
import dev.braid.apps.support.ModelSwapRoute;
import dev.braid.apps.support.ServerSettings;
import dev.braid.apps.support.SupportModel;
import dev.braid.apps.support.SwappableRouter;
import dev.braid.apps.support.TicketServer;
import dev.braid.apps.support.access.AccessSettings;
import dev.braid.apps.support.store.StoreSettings;
import dev.braid.fusion.train.ConsoleProgress;
import dev.braid.vision.image.DecodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code braid serve [--model DIR] [--port N]}: the customer-service app. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the customer-service app: a web page at / and the API POST /api/tickets"
                    + " (multipart parts text, image, audio), GET /health; the agents' desk at"
                    + " /desk.html and its API (sign in with an agent from 'braid agents add').",
            "Without --model it serves runs/support/model, training it on data/support first if"
                    + " it is not there (about 5 minutes on 2 cores, progress shown).",
            "Ctrl-C stops it gracefully: requests in flight are answered first."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            description = "A saved customer-service model directory (default: runs/support/model).")
    Path model;

    @Option(
            names = "--replies",
            description =
                    "Reply templates (default: replies.json in the model directory, else"
                            + " data/support/replies.json).")
    Path replies;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description =
                    "Address to bind; 0.0.0.0 serves other machines too (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--max-part-mb",
            defaultValue = "5",
            description =
                    "Largest message, photo or voice note accepted, in MiB; larger gets 413"
                            + " (default: ${DEFAULT-VALUE}).")
    double maxPartMb;

    @Option(
            names = "--image-min-side",
            defaultValue = "" + DecodeOptions.DEFAULT_MIN_SIDE,
            description =
                    "Refuse photos narrower or shorter than this, with 400"
                            + " (default: ${DEFAULT-VALUE}).")
    int imageMinSide;

    @Option(
            names = "--image-max-pixels",
            defaultValue = "" + DecodeOptions.DEFAULT_MAX_PIXELS,
            description =
                    "Refuse photos whose header claims more pixels, with 400, before decoding"
                            + " (default: ${DEFAULT-VALUE}).")
    long imageMaxPixels;

    @Option(
            names = "--max-batch",
            defaultValue = "16",
            description =
                    "Most tickets predicted in one batched forward pass; 1 predicts each alone"
                            + " (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
            names = "--max-wait-ms",
            defaultValue = "5",
            description =
                    "Longest a batch waits for tickets still being decoded, in ms; it never waits"
                            + " when none is on its way (default: ${DEFAULT-VALUE}).")
    int maxWaitMs;

    @Option(
            names = "--db",
            description =
                    "The desk database, a JDBC URL: jdbc:sqlite:FILE or"
                            + " jdbc:postgresql://HOST:PORT/DB; its password from the environment"
                            + " variable BRAID_DB_PASSWORD (default: jdbc:sqlite:runs/support/desk.db).")
    String db;

    @Option(names = "--db-user", description = "The database user (PostgreSQL).")
    String dbUser;

    @Option(
            names = "--keep-media-days",
            defaultValue = "30",
            description =
                    "Days a ticket's photo and voice note are kept; then their bytes are deleted,"
                            + " the text, routing, reply and corrections stay"
                            + " (default: ${DEFAULT-VALUE}).")
    int keepMediaDays;

    @Option(
            names = "--ticket-rate",
            defaultValue = "5",
            description =
                    "Tickets one client address may send a second on average; more get 429"
                            + " (default: ${DEFAULT-VALUE}).")
    double ticketRate;

    @Option(
            names = "--ticket-burst",
            defaultValue = "20",
            description =
                    "Tickets one client may send at once before --ticket-rate applies"
                            + " (default: ${DEFAULT-VALUE}).")
    int ticketBurst;

    @Override
    public Integer call() throws Exception {
        // checked before anything else: a first run trains the model for minutes before serving
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + ": must be in 0..65535");
        }
        if (!(maxPartMb * 1024 * 1024 >= 1024)) {
            throw new IllegalArgumentException(
                    "--max-part-mb " + maxPartMb + ": must be at least 1 KiB (0.001)");
        }
        StoreSettings store =
                DeskOptions.store(db, dbUser, System.getenv("BRAID_DB_PASSWORD"), keepMediaDays);
        AccessSettings access = DeskOptions.access(ticketRate, ticketBurst);
        BatchSettings batching;
        try {
            batching =
                    BatchSettings.defaults()
                            .withMaxBatch(maxBatch)
                            .withMaxWait(Duration.ofMillis(maxWaitMs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--max-batch "
                            + maxBatch
                            + " --max-wait-ms "
                            + maxWaitMs
                            + ": "
                            + e.getMessage(),
                    e);
        }
        Path modelDir =
                model != null
                        ? model
                        : SupportModel.ensure(
                                SupportModel.DEFAULT_RUN,
                                List.of(),
                                List.of(ConsoleProgress.forConsole()),
                                System.out);
        InputFiles.directory("--model", modelDir);
        Path templates;
        if (replies != null) {
            templates = InputFiles.file("--replies", replies);
        } else {
            templates = SupportModel.repliesFor(modelDir);
            if (!Files.isRegularFile(templates)) {
                throw new IllegalArgumentException(
                        "no reply templates at "
                                + templates.toAbsolutePath()
                                + " (nor in the model directory); give --replies FILE");
            }
        }
        ServerSettings settings =
                ServerSettings.defaults()
                        .withHost(host)
                        .withPort(port)
                        .withMaxPartBytes((long) (maxPartMb * 1024 * 1024));
        // A photo larger than a part is refused (413) before it is decoded: one limit, one flag.
        DecodeOptions decoding =
                DecodeOptions.defaults()
                        .withNames(
                                new DecodeOptions.LimitNames(
                                        "--image-max-pixels", "--max-part-mb", "--image-min-side"))
                        .withMinSide(imageMinSide)
                        .withMaxPixels(imageMaxPixels)
                        .withMaxBytes(settings.maxPartBytes());
        Path fixedReplies = replies != null ? templates : null;
        ModelSwapRoute.Loader loader =
                dir ->
                        FusionTicketRouter.load(
                                dir,
                                fixedReplies != null ? fixedReplies : SupportModel.repliesFor(dir),
                                decoding,
                                batching);
        SwappableRouter router = new SwappableRouter(loader.load(modelDir), modelDir);
        Desk desk;
        try {
            desk = Desk.open(store, access, Clock.systemUTC());
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        TicketServer server = TicketServer.start(router, settings, desk, loader);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("Stopping: finishing requests in flight");
                                    server.close();
                                    router.close();
                                    desk.close();
                                    System.out.println("Stopped.");
                                    stopped.countDown();
                                }));
        System.out.printf(
                "Serving %s (model %s, replies %s; desk %sdesk.html, tickets stored in %s)."
                        + " Ctrl-C stops.%n",
                server.uri(), modelDir, templates, server.uri(), store.safeUrl());
        stopped.await();
        return 0;
    }
}
