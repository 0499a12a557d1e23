package dev.braid.apps;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code braid} command: {@code java -jar apps/target/braid.jar <command> [options]}. */
@Command(
        name = "braid",
        mixinStandardHelpOptions = true,
        version = "Braid 0.1.0",
        description = "Train and run multimodal (text, image, audio) fusion models on the JVM.",
        subcommands = {
            DemoCommand.class,
            SupportDemoCommand.class,
            BenchCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            ServeCommand.class,
            TextDemo.class,
            CommandLine.HelpCommand.class
        })
public final class Braid {

    public static void main(String[] args) {
        // Natives come from the Maven jars; never let DJL reach for the network.
        System.setProperty("ai.djl.offline", "true");
        passiveOpenMpWaiting();
        // One intra-op thread: Braid's models are small, and the data-loading workers use the
        // other cores. With more, OpenMP threads spin against the workers (and any other
        // process) and a step runs up to 10x slower. -Dai.djl.pytorch.num_threads=N overrides.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * Makes libtorch's OpenMP threads sleep, rather than spin, while they wait for work, unless the
     * user set {@code OMP_WAIT_POLICY} already. libgomp reads the variable once, when libtorch is
     * loaded, so it is set in this process's environment before DJL loads the engine. With two
     * intra-op threads and a core taken by another process, spinning threads made a training step
     * about 30x slower; sleeping ones about 1.3x. On a machine whose cores are free, spinning is
     * faster (peer-shape: 782 against 482 samples/s), so a user there sets OMP_WAIT_POLICY=ACTIVE.
     */
    static void passiveOpenMpWaiting() {
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            return;
        }
        try {
            com.sun.jna.NativeLibrary.getInstance("c")
                    .getFunction("setenv")
                    .invokeInt(new Object[] {"OMP_WAIT_POLICY", "PASSIVE", 0});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // not a glibc system: keep OpenMP's default
        }
    }

    /**
     * The command line. A mistake of the user's (a bad option value, a missing or malformed file,
     * an input that does not decode) is reported as one line, {@code braid <command>: <reason>},
     * with exit code 2; anything else keeps its stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Braid());
        cli.setExecutionExceptionHandler(
                (e, command, parsed) -> {
                    if (e instanceof IllegalArgumentException
                            || e instanceof java.io.IOException
                            || e instanceof java.io.UncheckedIOException) {
                        command.getErr()
                                .println(
                                        "braid "
                                                + command.getCommandName()
                                                + ": "
                                                + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
        return cli;
    }
}
