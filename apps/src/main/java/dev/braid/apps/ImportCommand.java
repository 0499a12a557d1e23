package dev.braid.apps;

import dev.braid.files.AtomicFile;
import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.ManifestCheck;
import dev.braid.fusion.data.ManifestException;
import dev.braid.fusion.data.layout.DatasetLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code braid import DATA [--force]}. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Write the manifest.jsonl of a CSV/TSV table (into its folder) or of a folder per"
                    + " class (into that folder), rows without a split given a seeded, stratified"
                    + " one. braid train, inspect and eval read those layouts directly too; the"
                    + " manifest fixes the split and can be edited."
        })
final class ImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DATA", description = "A .csv or .tsv table, or a folder per class.")
    Path data;

    @Option(names = "--force", description = "Replace a manifest.jsonl that exists.")
    boolean force;

    @Mixin InspectCommand.SplitOptions split;

    @Override
    public Integer call() throws Exception {
        InputFiles.dataset("DATA", data);
        ManifestCheck check = DatasetLayout.check(data, split.split());
        if (!check.problems().isEmpty()) {
            throw new ManifestException(check.problems()); // nothing is written
        }
        Path manifest = DatasetLayout.manifestFolder(data).resolve(Manifest.FILE_NAME);
        if (Files.exists(manifest) && !force) {
            throw new IllegalArgumentException(manifest + " exists; give --force to replace it");
        }
        List<String> lines = DatasetLayout.asManifest(data, split.split());
        AtomicFile.write(
                manifest, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        System.out.printf("Wrote %d rows to %s%n", lines.size(), manifest);
        return 0;
    }
}
