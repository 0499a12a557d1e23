package dev.braid.apps;

import dev.braid.apps.run.DataRunConfig;
import dev.braid.files.AtomicFile;
import dev.braid.fusion.Modality;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code braid init DATA [--out FILE] [--modalities ...]}. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Write the run configuration braid train --data DATA would use, with the feature"
                    + " settings derived from the training split written out and explained, to"
                    + " edit and then train with braid train --config FILE."
        })
final class InitCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DATA", description = "The dataset.")
    Path data;

    @Option(
            names = "--out",
            description = "Where to write it (default: NAME.yaml, after the dataset).")
    Path out;

    @Option(names = "--force", description = "Replace the file if it exists.")
    boolean force;

    @Option(
            names = "--modalities",
            split = ",",
            description = "The modalities to read (default: those the training split has).")
    List<Modality> modalities = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String yaml = DataRunConfig.yaml(InputFiles.dataset("DATA", data), modalities, List.of());
        Path file =
                out != null
                        ? out
                        : Path.of(DataRunConfig.of(data, modalities, List.of()).name() + ".yaml");
        if (Files.exists(file) && !force) {
            throw new IllegalArgumentException(
                    file + " exists; give --force to replace it, or --out another file");
        }
        AtomicFile.write(file, yaml.getBytes(StandardCharsets.UTF_8));
        System.out.print(yaml);
        System.out.println(
                "Wrote " + file.toAbsolutePath() + "; train with: braid train --config " + file);
        return 0;
    }
}
