package dev.braid.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.data.ShippedDatasetTest;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in classes the README's "Using the library" section shows compile against Braid as it
 * is: each {@code public final class} block, its elided bodies ({@code { ... }}) made to throw, is
 * compiled with the test class path. A renamed or re-typed method of a plug-in interface breaks it.
 */
class ReadmeExtensionPointsTest {

    private static final String IMPORTS =
            """
            import ai.djl.ndarray.*;
            import ai.djl.ndarray.types.Shape;
            import ai.djl.nn.Block;
            import com.fasterxml.jackson.databind.JsonNode;
            import dev.braid.fusion.*;
            import dev.braid.fusion.data.*;
            import dev.braid.fusion.model.Losses;
            import dev.braid.fusion.predict.Prediction;
            import java.io.IOException;
            import java.nio.file.Path;
            import java.util.*;
            """;

    @Test
    void thePluginClassesTheReadmeShowsCompile(@TempDir Path dir) throws IOException {
        String readme = Files.readString(ShippedDatasetTest.repoRoot().resolve("README.md"));
        Matcher block =
                Pattern.compile("```java\n(public final class (\\w+).*?)```", Pattern.DOTALL)
                        .matcher(readme.substring(readme.indexOf("## Using the library")));
        List<Path> sources = new ArrayList<>();
        while (block.find()) {
            String body =
                    block.group(1)
                            .replace("{ ... }", "{ throw new UnsupportedOperationException(); }");
            // beside the tested plug-ins, whose encoder the modality block names
            Path source = dir.resolve("plugin").resolve(block.group(2) + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, "package dev.braid.apps.plugin;\n" + IMPORTS + body);
            sources.add(source);
        }
        assertEquals(2, sources.size(), "the modality and the head-kind plug-in blocks");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        List<String> arguments =
                new ArrayList<>(
                        List.of(
                                "-classpath",
                                System.getProperty("java.class.path"),
                                "-d",
                                dir.resolve("classes").toString(),
                                "-proc:none"));
        sources.forEach(s -> arguments.add(s.toString()));
        int status =
                javac.run(
                        null,
                        null,
                        new java.io.PrintStream(
                                new java.io.OutputStream() {
                                    @Override
                                    public void write(int b) {
                                        errors.write(b);
                                    }
                                },
                                true),
                        arguments.toArray(String[]::new));
        assertTrue(status == 0, "the README's plug-in code does not compile:\n" + errors);
    }
}
