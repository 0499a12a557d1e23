package dev.braid.apps.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.braid.apps.support.store.Correction;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The agents' desk page in real headless Chromium: a stranger sees only the sign-in form; an agent
 * signs in, sees the newest tickets first with their routing, corrects one and edits its reply.
 */
class DeskPageBrowserTest {

    static ServedModel served;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.skipUnlessInstalled();
        served = ServedModel.start(ServerSettings.defaults().withPort(0));
        browser = HeadlessChromium.open(Files.createTempDirectory("braid-chromium"));
        Files.createDirectories(TicketPageBrowserTest.SCREENSHOTS);
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

    @Test
    void anAgentSignsInSeesTheNewestTicketFirstAndCorrectsIt() throws Exception {
        DeskClient api = new DeskClient(served.client, served.uri("/"));
        api.ticket("Older ticket: where is my parcel?");
        SupportTickets.form(SupportTickets.complete())
                .post(served.client, served.uri("/api/tickets"));
        String newest =
                api.ticket("Newest ticket: my headphones arrived broken").get("ticketId").asText();

        browser.get(served.uri("/desk.html").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
        assertFalse(browser.findElement(By.id("desk")).isDisplayed());
        assertFalse(browser.getPageSource().contains("Newest ticket"), "no ticket before sign-in");
        screenshot("desk-signin.png");

        browser.findElement(By.id("name")).sendKeys(TestDesk.AGENT);
        browser.findElement(By.id("password")).sendKeys(TestDesk.PASSWORD);
        browser.findElement(By.id("signin-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ticket")));
        List<WebElement> cards = browser.findElements(By.cssSelector(".ticket"));
        assertEquals(3, cards.size());
        WebElement first = cards.get(0);
        assertEquals(newest, first.getAttribute("data-id"));
        assertTrue(first.findElement(By.className("text")).getText().startsWith("Newest ticket"));
        assertEquals(TestDesk.AGENT, browser.findElement(By.id("agent")).getText());
        wait.until(d -> !cards.get(1).findElements(By.tagName("img")).isEmpty());

        String other =
                served.router.classes().get("intent").stream()
                        .filter(
                                c ->
                                        !c.equals(
                                                new Select(
                                                                first.findElement(
                                                                        By.className("intent")))
                                                        .getFirstSelectedOption()
                                                        .getAttribute("value")))
                        .findFirst()
                        .orElseThrow();
        new Select(first.findElement(By.className("intent"))).selectByValue(other);
        WebElement reply = first.findElement(By.className("reply"));
        reply.clear();
        reply.sendKeys("A new pair is on its way.");
        first.findElement(By.className("save")).click();
        wait.until(
                ExpectedConditions.textToBePresentInElement(
                        first.findElement(By.className("corrected")), "Corrected by alice"));
        screenshot("desk-corrected.png");

        List<Correction> stored = served.desk.tickets().corrections(newest);
        assertEquals(1, stored.size());
        assertEquals(TestDesk.AGENT, stored.get(0).agent());
        assertEquals(other, stored.get(0).intent());
        assertEquals("A new pair is on its way.", stored.get(0).reply());
        assertTrue(stored.get(0).replyEdited());
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path to = TicketPageBrowserTest.SCREENSHOTS.resolve(name);
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    }
}
