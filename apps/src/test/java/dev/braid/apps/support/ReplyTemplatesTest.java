package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.fusion.data.Manifest;
import dev.braid.fusion.data.TaskSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplyTemplatesTest {

    static final Path SHIPPED = TinySupportModel.dataDir().resolve("replies.json");

    @Test
    void aReplyIsTheIntentsTemplateWithProductAndUrgencyNamedInItsLanguage() throws Exception {
        ReplyTemplates replies = ReplyTemplates.read(SHIPPED);
        String en = replies.reply("damaged_item", "tv", "high", "en");
        assertTrue(en.startsWith("We are sorry your TV / monitor arrived damaged."), en);
        assertTrue(en.contains("(priority: high)"), en);
        String zh = replies.reply("refund", "headphones", "low", "zh");
        assertTrue(zh.startsWith("感谢您就耳机联系我们。"), zh);
        assertTrue(zh.contains("优先级：低"), zh);
    }

    @Test
    void theShippedTemplatesCoverEveryClassOfTheDataset() throws Exception {
        TaskSchema schema = TaskSchema.infer(List.of(Manifest.read(TinySupportModel.dataDir())));
        ReplyTemplates.read(SHIPPED)
                .checkCovers(
                        schema.head("intent").classes(),
                        schema.head("product").classes(),
                        schema.head("urgency").classes());
    }

    @Test
    void missingEntriesAreNamedWithTheFile() throws Exception {
        ReplyTemplates replies = ReplyTemplates.read(SHIPPED);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                replies.checkCovers(
                                        List.of("refund", "warranty"),
                                        List.of("drone"),
                                        List.of("low")));
        assertTrue(e.getMessage().startsWith(SHIPPED.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("replies.warranty.en"), e.getMessage());
        assertTrue(e.getMessage().contains("replies.warranty.zh"), e.getMessage());
        assertTrue(e.getMessage().contains("product_names.en.drone"), e.getMessage());
        assertTrue(!e.getMessage().contains("refund"), e.getMessage());
    }

    @Test
    void aFileWithoutTemplatesOrNotJsonIsRefusedByName(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("replies.json");
        Files.writeString(empty, "{\"product_names\": {}, \"urgency_names\": {}}");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ReplyTemplates.read(empty));
        assertEquals(empty + ": no object 'replies'", e.getMessage());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"replies\": ");
        Exception io = assertThrows(java.io.IOException.class, () -> ReplyTemplates.read(broken));
        assertTrue(io.getMessage().startsWith(broken + ": not valid JSON"), io.getMessage());
    }

    @Test
    void theReplyLanguageFollowsTheMessage() {
        assertEquals("zh", ReplyTemplates.languageOf("我的耳机坏了 see photo"));
        assertEquals("en", ReplyTemplates.languageOf("my headphones are broken"));
        assertEquals("en", ReplyTemplates.languageOf(null));
    }
}
