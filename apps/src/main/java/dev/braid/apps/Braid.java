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
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            TextDemo.class,
            CommandLine.HelpCommand.class
        })
public final class Braid {

    public static void main(String[] args) {
        // Natives come from the Maven jars; never let DJL reach for the network.
        System.setProperty("ai.djl.offline", "true");
        System.exit(new CommandLine(new Braid()).execute(args));
    }
}
