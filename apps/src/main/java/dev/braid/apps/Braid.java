package dev.braid.apps;

import dev.braid.apps.logging.Logging;
import dev.braid.audio.signal.AudioDecodeException;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestException;
import dev.braid.fusion.predict.ModelDirectory;
import dev.braid.vision.image.ImageDecodeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code braid} command: {@code java -jar apps/target/braid.jar <command> [options]}. */
@Command(
        name = "braid",
        mixinStandardHelpOptions = true,
        versionProvider = Braid.Version.class,
        description = "Train and run multimodal (text, image, audio) fusion models on the JVM.",
        subcommands = {
            DemoCommand.class,
            SupportDemoCommand.class,
            BenchCommand.class,
            TrainCommand.class,
            InspectCommand.class,
            InitCommand.class,
            ImportCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            ServeCommand.class,
            SparkPredictCommand.class,
            AgentsCommand.class,
            CompressCommand.class,
            RetrainCommand.class,
            RepliesCommand.class,
            TuneRepliesCommand.class,
            GenerateCommand.class,
            TextDemo.class,
            PretrainAudioCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Braid {

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description =
                    "Also show the libraries' and engines' messages (DJL, libtorch, OpenCV, Jetty);"
                            + " a training run writes them to OUTPUT/braid.log in any case.")
    boolean verbose;

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
        NativeEnvironment.setDefault("OMP_WAIT_POLICY", "PASSIVE");
    }

    /**
     * The command line. A mistake of the user's (a bad option value, a missing or malformed file,
     * an input that does not decode) is reported as one line, {@code braid <command>: <reason>},
     * with exit code 2; anything else keeps its stack trace.
     */
    public static CommandLine commandLine() {
        Braid braid = new Braid();
        CommandLine cli = new CommandLine(braid).setCaseInsensitiveEnumValuesAllowed(true);
        // TEXT or text, or a plug-in's name; an unknown one names the known ones
        cli.registerConverter(Modality.class, Modality::valueOf);
        cli.setExecutionStrategy(
                parsed -> {
                    Logging.setVerbose(braid.verbose);
                    if (runsACommand(parsed)) {
                        if (braid.verbose) {
                            NativeEnvironment.userTorchLogLevel();
                        } else {
                            NativeEnvironment.quietLibraries();
                        }
                    }
                    return new CommandLine.RunLast().execute(parsed);
                });
        cli.setParameterExceptionHandler(
                (e, args) -> {
                    CommandLine command = e.getCommandLine();
                    command.getErr().println(usageMistake(e, command));
                    return CommandLine.ExitCode.USAGE;
                });
        cli.setExecutionExceptionHandler(
                (e, command, parsed) -> {
                    if (!isUsersMistake(e)) {
                        throw e;
                    }
                    command.getErr().println(prefix(command) + reason(e));
                    return CommandLine.ExitCode.USAGE;
                });
        return cli;
    }

    /** Whether a command will run, rather than help or the version being printed. */
    private static boolean runsACommand(CommandLine.ParseResult parsed) {
        List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine last = commands.get(commands.size() - 1);
        return commands.size() > 1
                && !(last.getCommand() instanceof CommandLine.HelpCommand)
                && !last.isUsageHelpRequested()
                && !last.isVersionHelpRequested();
    }

    /** {@code braid predict: Unknown option: '--imgae' (did you mean --image?)}, one line. */
    private static String usageMistake(CommandLine.ParameterException e, CommandLine command) {
        // picocli starts some of its messages with "Error: "; the prefix already says it
        String message = e.getMessage().replaceFirst("^Error: ", "");
        StringBuilder line = new StringBuilder(prefix(command)).append(message);
        List<String> suggestions =
                e instanceof CommandLine.UnmatchedArgumentException unmatched
                        ? unmatched.getSuggestions()
                        : List.of();
        String help =
                command.getCommandSpec().parent() == null
                        ? "braid --help"
                        : "braid " + command.getCommandName() + " --help";
        if (!suggestions.isEmpty()) {
            line.append(" (did you mean ").append(suggestions.get(0)).append("?)");
        } else {
            line.append(" (see ").append(help).append(")");
        }
        return line.toString();
    }

    private static String prefix(CommandLine command) {
        return command.getCommandSpec().parent() == null
                ? "braid: "
                : "braid " + command.getCommandName() + ": ";
    }

    /**
     * A bad value, a missing or malformed file, an input that does not decode: anything whose cause
     * chain holds one of these, so a failure inside a worker thread counts too.
     */
    private static boolean isUsersMistake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException
                    || t instanceof IOException
                    || t instanceof UncheckedIOException
                    || t instanceof ManifestException
                    || t instanceof ImageDecodeException
                    || t instanceof AudioDecodeException) {
                return true;
            }
        }
        return false;
    }

    /** The message, with the reason a file system error leaves out of its own. */
    static String reason(Throwable e) {
        Throwable file = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (file instanceof FileSystemException fs && fs.getReason() == null) {
            String path = fs.getFile();
            if (fs instanceof NoSuchFileException) {
                return path + ": no such file or directory";
            }
            if (fs instanceof AccessDeniedException) {
                return path + ": not readable (permission denied)";
            }
        }
        return e.getMessage();
    }

    /** {@code braid --version}: the version the Maven build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"braid " + ModelDirectory.BRAID_VERSION};
        }
    }
}
