package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.fusion.Modality;
import dev.braid.fusion.data.ManifestEntry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ticket page in real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs): a person writes, attaches or records, sends, and reads the
 * routing. Screenshots go to {@code target/browser/}.
 *
 * <p>Skipped where the browser is not installed, unless {@code BRAID_REQUIRE_BROWSER} is set (CI
 * sets it), in which case a missing browser fails.
 */
class TicketPageBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "browser");

    static ServedModel served;
    static WebDriver browser;
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.skipUnlessInstalled();
        served = ServedModel.start(ServerSettings.defaults().withPort(0));
        profile = Files.createTempDirectory("braid-chromium");
        browser = HeadlessChromium.open(profile);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (served != null) {
            served.close();
        }
    }

    @BeforeEach
    void openThePage() {
        browser.get(served.uri("/").toString());
    }

    @Test
    void aTicketWithMessagePhotoAndVoiceNoteShowsTheRouting() throws Exception {
        ManifestEntry entry = SupportTickets.complete();
        browser.findElement(By.id("message")).sendKeys(entry.inputs().get(Modality.TEXT));
        browser.findElement(By.id("photo")).sendKeys(entry.inputs().get(Modality.IMAGE));
        browser.findElement(By.id("voice")).sendKeys(entry.inputs().get(Modality.AUDIO));
        browser.findElement(By.id("send")).click();
        WebElement result = waitForResult();

        JsonNode api =
                new ObjectMapper()
                        .readTree(
                                SupportTickets.form(entry)
                                        .post(served.client, served.uri("/api/tickets"))
                                        .body());
        for (String head : FusionTicketRouter.HEADS) {
            String shown = browser.findElement(By.id(head)).getText();
            assertTrue(
                    shown.startsWith(api.get(head).get("label").asText().replace('_', ' ') + " ("),
                    head + " shows '" + shown + "', the API says " + api.get(head));
        }
        assertEquals(api.get("reply").asText(), browser.findElement(By.id("reply")).getText());
        assertEquals("text, image, audio", browser.findElement(By.id("inputs")).getText());
        assertTrue(result.isDisplayed());
        screenshot("ticket-routed.png");
    }

    /**
     * With a model that writes its replies, the page shows the reply streaming in piece by piece
     * and ends with the reply the API streams for the same ticket and settings.
     */
    @Test
    void aGeneratedReplyStreamsIntoThePage() throws Exception {
        Path model = TinyReplyModel.model();
        try (FusionTicketRouter router =
                        FusionTicketRouter.load(model, model.resolve(SupportModel.REPLIES));
                Desk desk = TestDesk.open(TestDesk.newStore(), TestDesk.UNLIMITED);
                TicketServer server =
                        TicketServer.start(router, ServerSettings.defaults().withPort(0), desk)) {
            browser.get(server.uri().toString());
            ManifestEntry entry = SupportTickets.complete();
            browser.findElement(By.id("message")).sendKeys(entry.inputs().get(Modality.TEXT));
            browser.findElement(By.id("photo")).sendKeys(entry.inputs().get(Modality.IMAGE));
            WebElement maxTokens = browser.findElement(By.id("maxTokens"));
            maxTokens.clear();
            maxTokens.sendKeys("12");
            browser.findElement(By.id("send")).click();
            WebElement result = waitForResult();
            int pieces = Integer.parseInt(result.getAttribute("data-pieces"));
            assertTrue(pieces >= 2, "pieces shown: " + pieces);

            MultipartBody form =
                    SupportTickets.form(entry, java.util.Set.of(Modality.TEXT, Modality.IMAGE));
            String events =
                    form.post(served.client, server.uri().resolve("/api/replies?maxTokens=12"))
                            .body();
            String done = events.substring(events.indexOf("event: done\ndata: ") + 18).trim();
            assertEquals(
                    new ObjectMapper()
                            .readTree(done)
                            .get("reply")
                            .asText()
                            .trim(), // as getText shows it
                    browser.findElement(By.id("reply")).getText());
            screenshot("reply-streamed.png");
        }
    }

    @Test
    void aVoiceNoteRecordedInThePageIsSentAsWav() throws Exception {
        WebElement record = browser.findElement(By.id("record"));
        record.click();
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(
                        d -> {
                            String status = d.findElement(By.id("record-status")).getText();
                            return status.startsWith("recording ")
                                    && Double.parseDouble(status.split(" ")[1]) >= 1.5;
                        });
        record.click();
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.id("record-status"), "KiB WAV"));
        browser.findElement(By.id("send")).click();
        waitForResult();
        assertEquals("audio", browser.findElement(By.id("inputs")).getText());
        assertFalse(browser.findElement(By.id("reply")).getText().isBlank());
        screenshot("ticket-recorded.png");
    }

    @Test
    void aFileThatIsNoImageShowsTheServersError() throws Exception {
        ManifestEntry entry = SupportTickets.complete();
        Path wavNamedPng = Files.createTempFile("not-a-photo", ".png");
        Files.copy(
                Path.of(entry.inputs().get(Modality.AUDIO)),
                wavNamedPng,
                StandardCopyOption.REPLACE_EXISTING);
        browser.findElement(By.id("message")).sendKeys("see the photo");
        browser.findElement(By.id("photo")).sendKeys(wavNamedPng.toString());
        browser.findElement(By.id("send")).click();
        WebElement error =
                new WebDriverWait(browser, Duration.ofSeconds(20))
                        .until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertEquals(
                "image: could not be decoded: not a PNG, JPEG, BMP or WebP file (HTTP 400)",
                error.getText());
        assertFalse(browser.findElement(By.id("result")).isDisplayed());
        screenshot("ticket-bad-photo.png");
        Files.delete(wavNamedPng);
    }

    private static WebElement waitForResult() {
        // shown once the whole answer is in (a streamed reply shows its pieces before that)
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.attributeToBe(By.id("result"), "data-state", "shown"));
        return browser.findElement(By.id("result"));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
