package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.predict.ModelDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code braid serve} does without {@code --model}: train once, then reuse. */
class SupportModelTest {

    @Test
    void theModelIsTrainedOnceWithItsRepliesThenReused() throws Exception {
        Path run = TinySupportModel.run();
        Path model = TinySupportModel.model();
        assertEquals(run.resolve("model"), model);
        assertTrue(Files.isRegularFile(model.resolve(SupportModel.REPLIES)));
        assertEquals(model.resolve(SupportModel.REPLIES), SupportModel.repliesFor(model));
        FileTime trained = Files.getLastModifiedTime(model.resolve(ModelDirectory.MANIFEST));

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Path again =
                SupportModel.ensure(
                        run, TinySupportModel.OVERRIDES, List.of(), new PrintStream(said, true));
        assertEquals(model, again);
        assertEquals("", said.toString(), "nothing to train, nothing said");
        assertEquals(trained, Files.getLastModifiedTime(model.resolve(ModelDirectory.MANIFEST)));
    }
}
